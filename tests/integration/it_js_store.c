/* it_js cases about storage: a memory stream, and recovery of file streams after a clean stop
 * (SIGTERM) and a restart on the same store dir and port.
 *
 * nats-server 2.9.10 does not bring a standalone memory stream back after a restart (its
 * config is not kept either); the memory case accepts that or an empty stream.
 */
#include "it_js.h"

#include <string.h>

#define MEM_MSG_SIZE(subj, data) (strlen(subj) + strlen(data) + 16)

void it_case_memory_storage(void)
{
    struct itj_env env;
    struct itj_stream st;
    jsStreamInfo *si = NULL;
    natsMsg *m = NULL;
    jsErrCode ec = 0;
    natsStatus s;

    itj_start(&env);
    itj_stream_init(&st, "MEM", "mem.>", NULL);
    st.cfg.Storage = js_MemoryStorage;
    st.cfg.MaxMsgs = 3;
    IT_NATS(js_AddStream(&si, env.js, &st.cfg, NULL, &ec));
    IT_CHECK(si->Config->Storage == js_MemoryStorage, "config says storage memory");
    jsStreamInfo_Destroy(si);
    for (int i = 0; i < 4; i++)
        itj_pub(&env, "mem.a", "data", NULL, NULL);
    itj_expect_state(&env, "MEM", 3, 2, 4, "memory stream obeys max_msgs 3");
    si = itj_stream_info(&env, "MEM");
    IT_CHECK(si->State.Bytes == 3 * MEM_MSG_SIZE("mem.a", "data"),
             "state.bytes %llu = 3 x (subject + data + 16), nats-server's memory accounting",
             (unsigned long long)si->State.Bytes);
    jsStreamInfo_Destroy(si);
    IT_NATS(js_GetMsg(&m, env.js, "MEM", 4, NULL, &ec));
    IT_CHECK(natsMsg_GetDataLength(m) == 4, "get from memory stream");
    natsMsg_Destroy(m);
    IT_NATS(js_PurgeStream(env.js, "MEM", NULL, &ec));
    itj_expect_state(&env, "MEM", 0, 5, 4, "purged memory stream");
    itj_pub(&env, "mem.a", "data", NULL, NULL);

    itj_disconnect(&env);
    it_server_restart(&env.srv);
    itj_reconnect(&env);
    si = NULL;
    s = js_GetStreamInfo(&si, env.js, "MEM", NULL, &ec);
    IT_CHECK((s == NATS_NOT_FOUND && ec == 10059) || (s == NATS_OK && si->State.Msgs == 0),
             "after a restart the memory stream holds no message (%s: %s)", natsStatus_GetText(s),
             s == NATS_OK ? "empty stream" : "stream gone");
    jsStreamInfo_Destroy(si);
    itj_stop(&env);
}

/* Snapshot of what must survive a restart. */
struct snap {
    jsStreamState state; /* copied counters only (no pointers kept) */
    int64_t created;     /* creation time, ns */
};

static void snap_take(struct itj_env *env, const char *name, struct snap *sn)
{
    jsStreamInfo *si = itj_stream_info(env, name);

    memset(sn, 0, sizeof(*sn));
    sn->state.Msgs = si->State.Msgs;
    sn->state.Bytes = si->State.Bytes;
    sn->state.FirstSeq = si->State.FirstSeq;
    sn->state.LastSeq = si->State.LastSeq;
    sn->state.NumDeleted = si->State.NumDeleted;
    sn->state.NumSubjects = si->State.NumSubjects;
    sn->state.LastTime = si->State.LastTime;
    sn->created = si->Created;
    jsStreamInfo_Destroy(si);
}

static void snap_check(struct itj_env *env, const char *name, const struct snap *sn)
{
    jsStreamInfo *si = itj_stream_info(env, name);
    const jsStreamState *a = &si->State, *b = &sn->state;

    IT_CHECK(a->Msgs == b->Msgs && a->Bytes == b->Bytes && a->FirstSeq == b->FirstSeq &&
                 a->LastSeq == b->LastSeq && a->NumDeleted == b->NumDeleted &&
                 a->NumSubjects == b->NumSubjects,
             "%s state back: %llu msgs, %llu bytes, seq %llu..%llu, %llu deleted, %lld subjects",
             name, (unsigned long long)a->Msgs, (unsigned long long)a->Bytes,
             (unsigned long long)a->FirstSeq, (unsigned long long)a->LastSeq,
             (unsigned long long)a->NumDeleted, (long long)a->NumSubjects);
    IT_CHECK(a->LastTime == b->LastTime && si->Created == sn->created,
             "%s: last_ts and created unchanged", name);
    jsStreamInfo_Destroy(si);
}

/* Creates stream REC with non-default settings and messages, a deleted one and headers. */
static void restart_fill(struct itj_env *env)
{
    struct itj_stream st;
    jsPubOptions po;
    char data[32];

    itj_stream_init(&st, "REC", "rec.*", "other.>");
    st.cfg.Description = "recovered";
    st.cfg.MaxMsgs = 1000;
    st.cfg.MaxMsgsPerSubject = 100;
    st.cfg.Duplicates = 60LL * 1000 * 1000 * 1000;
    st.cfg.AllowDirect = true;
    st.cfg.AllowRollup = true;
    itj_stream_add(env, &st);
    for (int i = 1; i <= 10; i++) {
        snprintf(data, sizeof(data), "payload-%d", i);
        if (i % 3 == 0)
            itj_pub_hdr(env, i % 2 ? "rec.a" : "other.x.y", data, "X-Num", data);
        else
            itj_pub(env, i % 2 ? "rec.a" : "rec.b", data, NULL, NULL);
    }
    IT_NATS(js_DeleteMsg(env->js, "REC", 5, NULL, NULL));
    IT_NATS(jsPubOptions_Init(&po));
    po.MsgId = "last-id";
    IT_CHECK(itj_pub(env, "rec.c", "with-id", &po, NULL) == 11, "seq 11 published with an id");

    itj_stream_init(&st, "PURGED", "purged", NULL);
    itj_stream_add(env, &st);
    for (int i = 0; i < 5; i++)
        itj_pub(env, "purged", "p", NULL, NULL);
    IT_NATS(js_PurgeStream(env->js, "PURGED", NULL, NULL));
    itj_stream_init(&st, "GONE", "gone", NULL);
    itj_stream_add(env, &st);
    itj_pub(env, "gone", "g", NULL, NULL);
    IT_NATS(js_DeleteStream(env->js, "GONE", NULL, NULL));
}

/* Checks REC's config after the restart. */
static void restart_check_config(struct itj_env *env)
{
    jsStreamInfo *si = itj_stream_info(env, "REC");
    const jsStreamConfig *c = si->Config;

    IT_CHECK(c->SubjectsLen == 2 && strcmp(c->Subjects[0], "rec.*") == 0 &&
                 strcmp(c->Subjects[1], "other.>") == 0 && c->Description &&
                 strcmp(c->Description, "recovered") == 0,
             "REC config back: subjects and description");
    IT_CHECK(c->MaxMsgs == 1000 && c->MaxMsgsPerSubject == 100 &&
                 c->Duplicates == 60LL * 1000 * 1000 * 1000 && c->AllowDirect && c->AllowRollup &&
                 c->Storage == js_FileStorage,
             "REC config back: limits, duplicate window, allow_direct, allow_rollup_hdrs");
    jsStreamInfo_Destroy(si);
}

void it_case_restart_recovery(void)
{
    struct itj_env env;
    struct snap rec, pur;
    jsPubOptions po;
    natsMsg *m = NULL;
    jsStreamNamesList *nl = NULL;
    const char *hv = NULL;
    jsErrCode ec = 0;
    bool dup = false;

    itj_start(&env);
    restart_fill(&env);
    snap_take(&env, "REC", &rec);
    snap_take(&env, "PURGED", &pur);
    IT_CHECK(rec.state.Msgs == 10 && rec.state.NumDeleted == 1 && pur.state.FirstSeq == 6,
             "before the restart: REC 10 msgs (1 deleted), PURGED first_seq 6");

    itj_disconnect(&env);
    it_server_restart(&env.srv); /* SIGTERM, then the same port and store dir */
    itj_reconnect(&env);

    IT_NATS(js_StreamNames(&nl, env.js, NULL, &ec));
    IT_CHECK(nl->Count == 2, "2 streams after the restart (the deleted one stays deleted): %d",
             nl->Count);
    jsStreamNamesList_Destroy(nl);
    restart_check_config(&env);
    snap_check(&env, "REC", &rec);
    snap_check(&env, "PURGED", &pur);
    IT_NATS(js_GetMsg(&m, env.js, "REC", 9, NULL, &ec));
    IT_CHECK(strcmp(natsMsg_GetSubject(m), "rec.a") == 0 && natsMsg_GetDataLength(m) == 9 &&
                 memcmp(natsMsg_GetData(m), "payload-9", 9) == 0 &&
                 natsMsgHeader_Get(m, "X-Num", &hv) == NATS_OK && strcmp(hv, "payload-9") == 0,
             "message 9 back with subject, payload and header");
    natsMsg_Destroy(m);
    m = NULL;
    IT_CHECK(js_GetMsg(&m, env.js, "REC", 5, NULL, &ec) == NATS_NOT_FOUND,
             "deleted message 5 stays deleted");
    IT_NATS(jsPubOptions_Init(&po));
    po.MsgId = "last-id";
    IT_CHECK(itj_pub(&env, "rec.c", "again", &po, &dup) == 11 && dup,
             "Nats-Msg-Id last-id still a duplicate after the restart");
    IT_CHECK(itj_pub(&env, "rec.a", "next", NULL, NULL) == 12, "REC sequence continues at 12");
    IT_CHECK(itj_pub(&env, "purged", "next", NULL, NULL) == 6,
             "PURGED sequence continues at 6 after purge and restart");

    itj_disconnect(&env);
    it_server_restart(&env.srv);
    itj_reconnect(&env);
    itj_expect_state(&env, "REC", 11, 1, 12, "second restart: REC has the new message too");
    itj_stop(&env);
}
