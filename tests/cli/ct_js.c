/* CLI cases: streams (add/edit/info/ls/rm/copy/report), stream messages (get, rmm, view,
 * subjects, purge), consumers (add/edit/info/ls/rm/report/next), `sub` on a stream and
 * `bench` (core pub/sub, service request/serve, JetStream publish/consume).
 */

#include "ct.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct ct_res r;

void ct_case_stream_crud(void)
{
    ct_start(NULL);
    CT(&r, NULL, "stream", "add", "ORDERS", "--subjects", "orders.*", "--defaults",
       "--max-msgs-per-subject", "5", "--max-age", "1h", "--max-bytes", "1MB", "--storage",
       "memory", "--retention", "limits", "--discard", "new", "--dupe-window", "1m",
       "--description", "all orders", "--allow-rollup", "--deny-delete");
    CT_EXIT(&r, 0, "stream add with flags");
    CT_HAS(&r, "Stream ORDERS was created");
    CT_HAS(&r, "Subjects: orders.*");
    CT_HAS(&r, "Storage: Memory");
    CT_HAS(&r, "Maximum Per Subject: 5");
    CT_HAS(&r, "Maximum Age: 1h0m0s");
    CT_HAS(&r, "Maximum Bytes: 1.0 MiB");
    CT_HAS(&r, "Discard Policy: New");
    CT_HAS(&r, "Allows Rollups: true");
    CT_HAS(&r, "Allows Msg Delete: false");
    CT(&r, NULL, "stream", "add", "PLAIN");
    CT_EXIT(&r, 0, "stream add without flags or a terminal uses defaults");
    CT_HAS(&r, "Subjects: PLAIN");
    CT(&r, NULL, "stream", "add");
    CT_EXIT(&r, 1, "stream add without a name and no terminal");
    CT_ERR_HAS(&r, "stream name is required");
    CT(&r, NULL, "stream", "add", "BAD", "--max-bytes", "lots");
    CT_EXIT(&r, 1, "stream add with a bad size");
    CT(&r, NULL, "stream", "add", "DUP", "--subjects", "orders.*");
    CT_EXIT(&r, 1, "overlapping subjects");
    CT_ERR_HAS(&r, "could not create stream: ");

    CT(&r, NULL, "stream", "info", "ORDERS", "--json");
    CT_EXIT(&r, 0, "stream info --json");
    CT_HAS(&r, "\"max_msgs_per_subject\": 5");
    CT_HAS(&r, "\"storage\": \"memory\"");
    CT_HAS(&r, "\"state\"");
    CT_LACKS(&r, "\"type\"");
    const char *cfg_path = ct_file_write("cfg.json", r.out, r.out_len);
    CT(&r, NULL, "stream", "add", "FROMFILE", "--config", cfg_path);
    CT_EXIT(&r, 1, "stream add --config with overlapping subjects");
    const char *cfg2 = "{\"name\":\"CFG\",\"subjects\":[\"cfg.>\"],\"storage\":\"file\","
                       "\"retention\":\"workqueue\",\"max_msgs\":10}";
    cfg_path = ct_file_write("cfg2.json", cfg2, strlen(cfg2));
    CT(&r, NULL, "stream", "add", "--config", cfg_path);
    CT_EXIT(&r, 0, "stream add --config FILE");
    CT_HAS(&r, "Retention: Workqueue");
    CT_HAS(&r, "Maximum Messages: 10");
    CT(&r, NULL, "stream", "add", "--config", "/nonexistent.json");
    CT_EXIT(&r, 1, "stream add --config missing file");

    CT(&r, NULL, "stream", "ls");
    CT_EXIT(&r, 0, "stream ls");
    CT_HAS(&r, "ORDERS");
    CT_HAS(&r, "all orders");
    CT_HAS(&r, "CFG");
    CT(&r, NULL, "stream", "ls", "--names");
    IT_CHECK(strstr(r.out, "ORDERS\n") && strstr(r.out, "PLAIN\n"), "stream ls --names");
    CT(&r, NULL, "stream", "ls", "--json");
    CT_HAS(&r, "\"ORDERS\"");
    CT(&r, NULL, "stream", "ls", "--subject", "cfg.x", "--names");
    IT_CHECK(strcmp(r.out, "CFG\n") == 0, "stream ls --subject filters (%s)", r.out);

    CT(&r, NULL, "stream", "edit", "ORDERS", "--max-msgs", "100", "--description", "edited");
    CT_EXIT(&r, 0, "stream edit");
    CT_HAS(&r, "Stream ORDERS was updated");
    CT_HAS(&r, "Maximum Messages: 100");
    CT_HAS(&r, "Description: edited");
    CT_HAS(&r, "Maximum Per Subject: 5");
    CT(&r, NULL, "stream", "edit", "ORDERS", "--max-msgs", "100", "--description", "edited");
    CT_HAS(&r, "No difference in configuration");
    CT(&r, NULL, "stream", "edit", "ORDERS", "--max-msgs", "7", "--dry-run");
    CT_EXIT(&r, 0, "stream edit --dry-run");
    CT_HAS(&r, "max_msgs: 100 -> 7");
    CT(&r, NULL, "stream", "edit", "NOPE", "--max-msgs", "7");
    CT_EXIT(&r, 1, "edit a missing stream");
    CT_ERR_HAS(&r, "stream not found");

    CT(&r, NULL, "stream", "copy", "ORDERS", "ORDERS2", "--subjects", "orders2.*");
    CT_EXIT(&r, 0, "stream copy");
    CT_HAS(&r, "Stream ORDERS2 was created");
    CT_HAS(&r, "Maximum Per Subject: 5");
    CT_HAS(&r, "Subjects: orders2.*");

    CT(&r, NULL, "stream", "report");
    CT_EXIT(&r, 0, "stream report");
    CT_HAS(&r, "Stream Report");
    CT_HAS(&r, "ORDERS2");
    CT_HAS(&r, "Memory");

    CT(&r, NULL, "stream", "rm", "ORDERS2");
    CT_EXIT(&r, 1, "stream rm without --force off a terminal");
    CT_ERR_HAS(&r, "--force");
    CT(&r, NULL, "stream", "rm", "ORDERS2", "-f");
    CT_EXIT(&r, 0, "stream rm -f");
    CT(&r, NULL, "stream", "info", "ORDERS2");
    CT_EXIT(&r, 1, "info of a removed stream");
    CT_ERR_HAS(&r, "gannet: error: stream not found");
    CT(&r, NULL, "stream", "rm", "ORDERS2", "-f");
    CT_EXIT(&r, 1, "rm of a missing stream");
}

static void publish_orders(void)
{
    CT(&r, NULL, "stream", "add", "ORDERS", "--subjects", "orders.>", "--defaults");
    CT_EXIT(&r, 0, "stream add");
    CT(&r, NULL, "pub", "orders.new", "new {{Count}}", "--count", "3", "-J");
    CT_EXIT(&r, 0, "pub -J --count 3");
    CT_ERR_HAS(&r, "Stored in Stream: ORDERS Sequence: 3");
    CT(&r, NULL, "pub", "orders.paid", "paid 1", "-J", "-H", "Order-Id:17");
    CT_EXIT(&r, 0, "pub -J with header");
    CT(&r, NULL, "pub", "orders.shipped", "shipped 1", "-J", "--json");
    CT_EXIT(&r, 0, "pub -J --json");
    CT_HAS(&r, "\"stream\": \"ORDERS\"");
    CT_HAS(&r, "\"seq\": 5");
}

void ct_case_stream_msgs(void)
{
    ct_start(NULL);
    publish_orders();
    CT(&r, NULL, "pub", "nostream.x", "y", "-J");
    CT_EXIT(&r, 1, "pub -J without a stream");
    CT_ERR_HAS(&r, "no stream matches subject");

    CT(&r, NULL, "stream", "get", "ORDERS", "4");
    CT_EXIT(&r, 0, "stream get by sequence");
    CT_HAS(&r, "Item: ORDERS#4 received");
    CT_HAS(&r, "on Subject orders.paid");
    CT_HAS(&r, "Order-Id: 17");
    CT_HAS(&r, "paid 1");
    CT(&r, NULL, "stream", "get", "ORDERS", "--last-for", "orders.new", "--json");
    CT_EXIT(&r, 0, "stream get --last-for --json");
    CT_HAS(&r, "\"status\": \"ok\"");
    CT_HAS(&r, "\"seq\": 3");
    CT_HAS(&r, "\"data\": \"new 3\"");
    CT(&r, NULL, "stream", "get", "ORDERS", "99");
    CT_EXIT(&r, 1, "stream get of a missing sequence");
    CT_ERR_HAS(&r, "no message found");
    CT(&r, NULL, "stream", "get", "ORDERS");
    CT_EXIT(&r, 1, "stream get without a sequence");

    CT(&r, NULL, "stream", "subjects", "ORDERS");
    CT_EXIT(&r, 0, "stream subjects");
    CT_HAS(&r, "orders.new");
    CT_HAS(&r, "orders.shipped");
    CT(&r, NULL, "stream", "subjects", "ORDERS", "orders.new", "--json");
    CT_HAS(&r, "\"orders.new\": 3");
    CT_LACKS(&r, "orders.paid");

    CT(&r, NULL, "stream", "view", "ORDERS");
    CT_EXIT(&r, 0, "stream view");
    CT_HAS(&r, "[1] Subject: orders.new Received:");
    CT_HAS(&r, "[5] Subject: orders.shipped");
    CT_HAS(&r, "shipped 1");
    CT(&r, NULL, "stream", "view", "ORDERS", "--id", "4", "--raw");
    IT_CHECK(strcmp(r.out, "paid 1\nshipped 1\n") == 0, "view --id 4 --raw (%s)", r.out);
    CT(&r, NULL, "stream", "view", "ORDERS", "--subject", "orders.paid", "--json");
    CT_HAS(&r, "\"subject\":\"orders.paid\"");
    CT_HAS(&r, "\"seq\":4");

    CT(&r, NULL, "stream", "rmm", "ORDERS", "1", "-f");
    CT_EXIT(&r, 0, "stream rmm");
    CT(&r, NULL, "stream", "get", "ORDERS", "1");
    CT_EXIT(&r, 1, "removed message is gone");
    CT(&r, NULL, "stream", "rmm", "ORDERS", "1", "-f");
    CT_EXIT(&r, 1, "rmm of a removed message");

    CT(&r, NULL, "stream", "purge", "ORDERS", "--subject", "orders.new", "--keep", "1");
    CT_EXIT(&r, 1, "purge without --force off a terminal");
    CT(&r, NULL, "stream", "purge", "ORDERS", "-f", "--subject", "orders.new", "--keep", "1",
       "--json");
    CT_EXIT(&r, 0, "purge --subject --keep");
    CT_HAS(&r, "\"purged\": 1");
    CT(&r, NULL, "stream", "purge", "ORDERS", "-f", "--seq", "4");
    CT_EXIT(&r, 0, "purge --seq");
    CT_HAS(&r, "Purged 1 messages");
    CT(&r, NULL, "stream", "info", "ORDERS", "--json");
    CT_HAS(&r, "\"messages\": 2");
    CT(&r, NULL, "stream", "purge", "ORDERS", "-f");
    CT_EXIT(&r, 0, "purge all");
    CT(&r, NULL, "stream", "info", "ORDERS", "--json");
    CT_HAS(&r, "\"messages\": 0");
    CT(&r, NULL, "stream", "purge", "NOPE", "-f");
    CT_EXIT(&r, 1, "purge of a missing stream");
    CT_ERR_HAS(&r, "stream not found");
}

void ct_case_consumer_crud(void)
{
    ct_start(NULL);
    publish_orders();
    CT(&r, NULL, "consumer", "add", "ORDERS", "PULL", "--pull", "--defaults", "--filter",
       "orders.new", "--max-deliver", "5", "--wait", "10s", "--description", "workers");
    CT_EXIT(&r, 0, "consumer add pull");
    CT_HAS(&r, "Information for Consumer ORDERS > PULL");
    CT_HAS(&r, "Pull Mode: true");
    CT_HAS(&r, "Filter Subject: orders.new");
    CT_HAS(&r, "Ack Wait: 10s");
    CT_HAS(&r, "Maximum Deliveries: 5");
    CT(&r, NULL, "consumer", "add", "ORDERS", "PUSH", "--target", "deliver.here", "--deliver",
       "last", "--ack", "none", "--defaults", "--json");
    CT_EXIT(&r, 0, "consumer add push --json");
    CT_HAS(&r, "\"deliver_subject\": \"deliver.here\"");
    CT_HAS(&r, "\"deliver_policy\": \"last\"");
    CT_HAS(&r, "\"ack_policy\": \"none\"");
    CT(&r, NULL, "consumer", "add", "ORDERS", "BAD", "--ack", "sometimes", "--defaults");
    CT_EXIT(&r, 1, "consumer add with a bad ack policy");
    CT(&r, NULL, "consumer", "add", "ORDERS", "SEQ", "--deliver", "2", "--defaults");
    CT_EXIT(&r, 0, "consumer add --deliver <sequence>");
    CT_HAS(&r, "By_start_sequence");
    CT(&r, NULL, "consumer", "add", "NOPE", "X", "--defaults");
    CT_EXIT(&r, 1, "consumer add on a missing stream");
    CT_ERR_HAS(&r, "stream not found");

    CT(&r, NULL, "consumer", "ls", "ORDERS");
    CT_EXIT(&r, 0, "consumer ls");
    CT_HAS(&r, "PULL");
    CT_HAS(&r, "workers");
    CT(&r, NULL, "consumer", "ls", "ORDERS", "--json");
    CT_HAS(&r, "\"PUSH\"");
    CT(&r, NULL, "consumer", "info", "ORDERS", "PULL", "--json");
    CT_EXIT(&r, 0, "consumer info --json");
    CT_HAS(&r, "\"num_pending\": 3");
    CT(&r, NULL, "consumer", "edit", "ORDERS", "PULL", "--description", "edited", "--max-deliver",
       "9");
    CT_EXIT(&r, 0, "consumer edit");
    CT_HAS(&r, "Description: edited");
    CT_HAS(&r, "Maximum Deliveries: 9");
    CT(&r, NULL, "consumer", "report", "ORDERS");
    CT_EXIT(&r, 0, "consumer report");
    CT_HAS(&r, "Consumer report for ORDERS with 3 consumers");
    CT_HAS(&r, "Push");
    CT(&r, NULL, "consumer", "rm", "ORDERS", "PUSH", "-f");
    CT_EXIT(&r, 0, "consumer rm");
    CT(&r, NULL, "consumer", "info", "ORDERS", "PUSH");
    CT_EXIT(&r, 1, "info of a removed consumer");
    CT_ERR_HAS(&r, "consumer not found");
}

void ct_case_consumer_next(void)
{
    ct_start(NULL);
    publish_orders();
    CT(&r, NULL, "consumer", "add", "ORDERS", "W", "--pull", "--defaults", "--filter", "orders.new",
       "--wait", "1s");
    CT_EXIT(&r, 0, "consumer add");
    CT(&r, NULL, "consumer", "next", "ORDERS", "W");
    CT_EXIT(&r, 0, "consumer next");
    CT_HAS(&r, "subj: orders.new / tries: 1 / cons seq: 1 / str seq: 1 / pending: 2");
    CT_HAS(&r, "new 1");
    CT_HAS(&r, "Acknowledged message");
    CT(&r, NULL, "consumer", "next", "ORDERS", "W", "--no-ack", "--raw");
    CT_EXIT(&r, 0, "consumer next --no-ack --raw");
    IT_CHECK(strcmp(r.out, "new 2\n") == 0, "raw body (%s)", r.out);
    CT(&r, NULL, "consumer", "next", "ORDERS", "W", "--count", "5", "--json");
    CT_EXIT(&r, 0, "consumer next --count 5 --json");
    CT_HAS(&r, "\"data\":\"new 3\"");
    CT_HAS(&r, "\"acked\":true");
    CT(&r, NULL, "consumer", "info", "ORDERS", "W", "--json");
    CT_HAS(&r, "\"num_ack_pending\": 1");
    /* new 2 was not acked: after ack wait (1s) it is redelivered. */
    CT(&r, NULL, "--timeout", "3s", "consumer", "next", "ORDERS", "W", "--json");
    CT_EXIT(&r, 0, "redelivery of the unacked message");
    CT_HAS(&r, "\"data\":\"new 2\"");
    CT_HAS(&r, "\"delivered\":2");
    CT(&r, NULL, "--timeout", "1s", "consumer", "next", "ORDERS", "W");
    CT_EXIT(&r, 1, "next with nothing left");
    CT_ERR_HAS(&r, "no message available");
    CT(&r, NULL, "consumer", "next", "ORDERS", "NOPE");
    CT_EXIT(&r, 1, "next on a missing consumer");
}

void ct_case_sub_stream(void)
{
    struct ct_bg sub;
    ct_start(NULL);
    publish_orders();
    CT(&r, NULL, "sub", "orders.>", "--all", "--count", "5", "--raw");
    CT_EXIT(&r, 0, "sub --all replays the stream");
    IT_CHECK(strcmp(r.out, "new 1\nnew 2\nnew 3\npaid 1\nshipped 1\n") == 0, "all five (%s)",
             r.out);
    CT(&r, NULL, "sub", "orders.new", "--last", "--count", "1");
    CT_EXIT(&r, 0, "sub --last");
    CT_HAS(&r, "Received JetStream message: stream: ORDERS seq 3 / subject: orders.new");
    CT(&r, NULL, "sub", "--stream", "ORDERS", "--start-sequence", "4", "--count", "1", "--raw");
    IT_CHECK(strcmp(r.out, "paid 1\n") == 0, "sub --start-sequence (%s)", r.out);
    CT_BG(&sub, "sub", "orders.>", "--new", "--count", "1");
    IT_CHECK(ct_bg_wait_for(&sub, "Subscribing to JetStream", true, 5000), "sub --new ready");
    for (int i = 0; i < 50; i++) {
        CT(&r, NULL, "pub", "orders.late", "late", "-J", "-q");
        if (ct_bg_wait_for(&sub, "late", false, 100))
            break;
    }
    ct_bg_finish(&sub, &r, false, 5000);
    CT_EXIT(&r, 0, "sub --new");
    CT_HAS(&r, "subject: orders.late");
    CT_LACKS(&r, "new 1");
    CT(&r, NULL, "sub", "nostream.>", "--all", "--count", "1");
    CT_EXIT(&r, 1, "sub --all on a subject without a stream");
    CT(&r, NULL, "sub", "x", "--all", "--queue", "q");
    CT_EXIT(&r, 1, "sub --all with --queue");
}

void ct_case_bench_core(void)
{
    struct ct_bg sub, srv;
    ct_start(NULL);
    CT(&r, NULL, "bench", "pub", "bench.a", "--msgs", "20000", "--clients", "2", "--size", "64");
    CT_EXIT(&r, 0, "bench pub with 2 clients");
    CT_HAS(&r, "NATS Core NATS publisher aggregated stats: ");
    CT_HAS(&r, " msgs/sec ~ ");
    CT_HAS(&r, "  [1] ");
    CT_HAS(&r, "(10,000 msgs)");
    CT_HAS(&r, "stddev");

    CT_BG(&sub, "bench", "sub", "bench.b", "--msgs", "5000");
    IT_CHECK(ct_bg_wait_for(&sub, "Waiting for 5000 messages", true, 5000), "bench sub ready");
    CT(&r, NULL, "bench", "pub", "bench.b", "--msgs", "5000");
    CT_EXIT(&r, 0, "bench pub");
    CT_HAS(&r, "NATS Core NATS publisher stats: ");
    ct_bg_finish(&sub, &r, false, 20000);
    CT_EXIT(&r, 0, "bench sub received everything");
    CT_HAS(&r, "NATS Core NATS subscriber stats: ");

    CT_BG(&srv, "bench", "service", "serve", "bench.svc", "--msgs", "500");
    IT_CHECK(ct_bg_wait_for(&srv, "Serving requests on bench.svc", true, 5000), "serve ready");
    CT(&r, NULL, "bench", "service", "request", "bench.svc", "--msgs", "500");
    CT_EXIT(&r, 0, "bench service request");
    CT_HAS(&r, "NATS Core NATS service requester stats: ");
    CT_HAS(&r, "~ min: ");
    CT_HAS(&r, "~ P50: ");
    CT_HAS(&r, "~ P99.9: ");
    ct_bg_finish(&srv, &r, false, 10000);
    CT_EXIT(&r, 0, "bench service serve ends after --msgs");

    CT(&r, NULL, "--timeout", "500ms", "bench", "service", "request", "nobody", "--msgs", "1");
    CT_EXIT(&r, 1, "bench request without a server");
    CT(&r, NULL, "bench", "pub", "x", "--msgs", "0");
    CT_EXIT(&r, 1, "bench with --msgs 0");
    CT(&r, NULL, "bench", "pub", "x", "--clients", "lots");
    CT_EXIT(&r, 1, "bench with a bad --clients");
}

void ct_case_bench_js(void)
{
    ct_start(NULL);
    CT(&r, NULL, "bench", "js", "pub", "bench.js", "--msgs", "3000", "--create", "--purge",
       "--batch", "100", "--storage", "memory");
    CT_EXIT(&r, 0, "bench js pub --create");
    CT_HAS(&r, "NATS JetStream publisher stats: ");
    CT_HAS(&r, "~ P90: ");
    CT(&r, NULL, "stream", "info", "benchstream", "--json");
    CT_HAS(&r, "\"messages\": 3000");
    CT(&r, NULL, "bench", "js", "consume", "--msgs", "3000", "--clients", "2", "--batch", "100");
    CT_EXIT(&r, 0, "bench js consume");
    CT_HAS(&r, "NATS JetStream consumer aggregated stats: ");
    /* nats-server applies acks asynchronously: the last ones may still be
     * pending for a moment after the consumers exit. */
    for (int i = 0; i < 50; i++) {
        CT(&r, NULL, "consumer", "info", "benchstream", "nats-bench", "--json");
        if (strstr(r.out, "\"num_ack_pending\": 0"))
            break;
        usleep(20000);
    }
    CT_HAS(&r, "\"num_ack_pending\": 0");
    CT(&r, NULL, "bench", "js", "pub", "nostream.x", "--msgs", "10");
    CT_EXIT(&r, 1, "bench js pub without a stream");
    CT_ERR_HAS(&r, "use --create");
}
