/* gannet-server: argv -> options -> server. Nothing else lives here. */
#include "conf/conf.h"
#include "jetstream/jetstream.h"
#include "monitor/monitor.h"
#include "server/server.h"
#include "server/signal.h"
#include "util/log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level level_of(const struct conf_opts *o)
{
    if (o->trace)
        return LOG_TRACE;
    if (o->debug)
        return LOG_DEBUG;
    return LOG_NOTICE;
}

int main(int argc, char **argv)
{
    struct conf_opts opts;
    struct errbuf eb = {{0}};
    int code = 1;
    conf_opts_init(&opts);
    if (conf_opts_load(&opts, argc, argv, &eb) != 0) {
        fprintf(stderr, "gannet-server: %s\n", eb.msg);
        goto out;
    }
    if (opts.show_help) {
        fputs(conf_usage(), stdout);
        code = 0;
        goto out;
    }
    if (opts.show_version) {
        printf("gannet-server: v%s (nats-server v%s compatible)\n", GANNET_OWN_VERSION,
               GANNET_NATS_COMPAT_VERSION);
        code = 0;
        goto out;
    }
    if (opts.signal_cmd) {
        code = srv_send_signal(opts.signal_cmd, opts.pid_file, &eb) == 0 ? 0 : 1;
        if (code)
            fprintf(stderr, "gannet-server: %s\n", eb.msg);
        goto out;
    }
    if (opts.check_config) {
        printf("gannet-server: configuration file %s is valid\n",
               opts.config_file ? opts.config_file : "(none)");
        code = 0;
        goto out;
    }
    int rc = log_init(opts.log_file, level_of(&opts), opts.logtime);
    if (rc) {
        fprintf(stderr, "gannet-server: cannot open log file %s: %s\n", opts.log_file,
                strerror(-rc));
        goto out;
    }
    for (size_t i = 0; i < opts.nwarnings; i++)
        log_warn("%s", opts.warnings[i]);
    srv_block_signals();
    struct server *s = srv_new(&opts, &eb);
    if (!s) {
        log_fatal("%s", eb.msg);
        goto out;
    }
    struct jetstream *js = NULL;
    if (opts.jetstream && !(js = js_new(s, &opts, &eb))) {
        log_fatal("%s", eb.msg);
        srv_free(s);
        goto out;
    }
    if (srv_start(s, &eb) != 0) {
        log_fatal("%s", eb.msg);
        srv_stop(s);
        js_free(js);
        srv_free(s);
        goto out;
    }
    struct monitor *mon = NULL;
    if (opts.http_port != 0 && (!(mon = mon_start(s, js, &opts, &eb)) ||
                                srv_ports_file_add_monitor(s, mon_port(mon), &eb) != 0)) {
        mon_stop(mon);
        log_fatal("%s", eb.msg);
        srv_stop(s);
        (void)srv_wait(s);
        js_free(js);
        srv_free(s);
        goto out;
    }
    code = srv_wait(s);
    mon_stop(mon); /* before what it reads goes away */
    js_free(js);   /* the workers have stopped: no callback runs any more */
    srv_free(s);
out:
    log_close();
    conf_opts_deinit(&opts);
    return code;
}
