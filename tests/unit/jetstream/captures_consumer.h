/* Consumer API traffic captured from nats-server 2.9.10 (127.0.0.1, -js,
 * fresh store) by capture_consumer.py, byte for byte. Rows replay a request
 * and hold the exact answer ("" = no answer); the tests rebuild each answer
 * from structs. Times, names and ids in them are test inputs.
 * Generated; edit only by re-capturing. */
#ifndef GN_TEST_JS_CAPTURES_CONSUMER_H
#define GN_TEST_JS_CAPTURES_CONSUMER_H

struct capc_row {
    const char *subject, *body, *resp;
};
struct capc_pull {
    const char *body, *status;
};

static const struct capc_row CAPC_CREATE_ROWS[] = {
    {
        "DURABLE.CREATE.S.full",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"full\",\"description\":\"d<>&\",\""
        "deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00.5+02:00\",\""
        "ack_policy\":\"explicit\",\"ack_wait\":2000000000,\"max_deliver\":5,\"backoff\":[1000000"
        "000,2000000000],\"filter_subject\":\"s.x\",\"replay_policy\":\"original\",\"rate_limit_b"
        "ps\":1000,\"sample_freq\":\"50%\",\"max_ack_pending\":10,\"idle_heartbeat\":1000000000,"
        "\"flow_control\":true,\"headers_only\":true,\"deliver_subject\":\"dd\",\"deliver_group\""
        ":\"gg\",\"inactive_threshold\":3000000000,\"num_replicas\":1,\"mem_storage\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"full\",\"created\":\"2026-11-22T17:13:44.760358229Z\",\"config\":{\"durable_nam"
        "e\":\"full\",\"description\":\"d\\u003c\\u003e\\u0026\",\"deliver_policy\":\"by_start_ti"
        "me\",\"opt_start_time\":\"2026-01-01T00:00:00.5+02:00\",\"ack_policy\":\"explicit\",\"ac"
        "k_wait\":1000000000,\"max_deliver\":5,\"backoff\":[1000000000,2000000000],\"filter_subje"
        "ct\":\"s.x\",\"replay_policy\":\"original\",\"rate_limit_bps\":1000,\"sample_freq\":\"50"
        "%\",\"max_ack_pending\":10,\"idle_heartbeat\":1000000000,\"flow_control\":true,\"headers"
        "_only\":true,\"deliver_subject\":\"dd\",\"deliver_group\":\"gg\",\"inactive_threshold\":"
        "3000000000,\"num_replicas\":1,\"mem_storage\":true},\"delivered\":{\"consumer_seq\":0,\""
        "stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":"
        "0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.pull",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"pull\",\"ack_policy\":\"all\",\"max_waitin"
        "g\":7,\"max_batch\":3,\"max_expires\":4000000000,\"max_bytes\":1000,\"deliver_policy\":"
        "\"by_start_sequence\",\"opt_start_seq\":4}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"pull\",\"created\":\"2026-11-22T17:13:44.848164646Z\",\"config\":{\"name\":\"pu"
        "ll\",\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":4,\"ack_policy\":\"all\""
        ",\"ack_wait\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting"
        "\":7,\"max_ack_pending\":1000,\"max_batch\":3,\"max_expires\":4000000000,\"max_bytes\":1"
        "000,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq"
        "\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pen"
        "ding\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"x\",\"direct\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"6S0OKbzd\",\"created\":\"2026-11-22T17:13:44.93620301Z\",\"config\":{\"deliver_"
        "policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant"
        "\",\"deliver_subject\":\"x\",\"inactive_threshold\":5000000000,\"num_replicas\":0,\"dire"
        "ct\":true},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer"
        "_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0"
        ",\"num_pending\":0}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"y\",\"ack_policy\":\"none\",\"i"
        "dle_heartbeat\":-5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"V503l5NN\",\"created\":\"2026-11-22T17:13:45.024136517Z\",\"config\":{\"deliver"
        "_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant"
        "\",\"idle_heartbeat\":-5,\"deliver_subject\":\"y\",\"inactive_threshold\":5000000000,\"n"
        "um_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"co"
        "nsumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiti"
        "ng\":0,\"num_pending\":0}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\"}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"KjbkLVtS\",\"created\":\"2026-11-22T17:13:45.116151399Z\",\"config\":{\"deliver"
        "_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant"
        "\",\"max_waiting\":512,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq"
        "\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":null}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"u9laAMSy\",\"created\":\"2026-11-22T17:13:45.204187951Z\",\"config\":{\"deliver"
        "_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant"
        "\",\"max_waiting\":512,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq"
        "\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"a/b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"a/b\",\"created\":\"2026-11-22T17:13:45.292157722Z\",\"config\":{\"name\":\"a/b"
        "\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy"
        "\":\"instant\",\"max_waiting\":512,\"inactive_threshold\":5000000000,\"num_replicas\":0}"
        ",\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,"
        "\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pe"
        "nding\":0}"},
    {
        "CREATE.S.lps",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last_per_subject\",\"filter_subj"
        "ect\":\"s.*\",\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"lps\",\"created\":\"2026-11-22T17:13:45.380156697Z\",\"config\":{\"name\":\"lps"
        "\",\"deliver_policy\":\"last_per_subject\",\"ack_policy\":\"explicit\",\"ack_wait\":3000"
        "0000000,\"max_deliver\":-1,\"filter_subject\":\"s.*\",\"replay_policy\":\"instant\",\"ma"
        "x_waiting\":512,\"max_ack_pending\":1000,\"inactive_threshold\":5000000000,\"num_replica"
        "s\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq"
        "\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"n"
        "um_pending\":0}"},
    {
        "CREATE.S.und",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"undefined\",\"Ack_Policy\":\"exp"
        "licit\",\"BOGUS\":[1]}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"und\",\"created\":\"2026-11-22T17:13:45.468167511Z\",\"config\":{\"name\":\"und"
        "\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max"
        "_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":1000"
        ",\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0"
        ",\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending"
        "\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.a.s.x",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"zz\",\"filter_subject\":\"s.x\",\"durable_"
        "name\":\"a\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"a\",\"created\":\"2026-11-22T17:13:45.556123501Z\",\"config\":{\"durable_name\""
        ":\"a\",\"name\":\"a\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\""
        ":-1,\"filter_subject\":\"s.x\",\"replay_policy\":\"instant\",\"max_waiting\":512,\"num_r"
        "eplicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consum"
        "er_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\""
        ":0,\"num_pending\":0}"},
    {
        "CREATE.S.a3",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"a3\",\"name\":\"zz\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"a3\",\"created\":\"2026-11-22T17:13:45.644165481Z\",\"config\":{\"durable_name"
        "\":\"a3\",\"name\":\"a3\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliv"
        "er\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"num_replicas\":0},\"delivere"
        "d\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq"
        "\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.wide",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\">\",\"ack_wait\":-5,\"max_delive"
        "r\":-5,\"max_bytes\":-1,\"inactive_threshold\":-5,\"sample_freq\":\"+5%\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"wide\",\"created\":\"2026-11-22T17:13:45.732150615Z\",\"config\":{\"name\":\"wi"
        "de\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"ack_wait\":-5,\"max_deliver\":"
        "-5,\"filter_subject\":\"\\u003e\",\"replay_policy\":\"instant\",\"sample_freq\":\"+5%\","
        "\"max_waiting\":512,\"max_bytes\":-1,\"inactive_threshold\":5000000000,\"num_replicas\":"
        "0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0"
        ",\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_p"
        "ending\":0}"},
    {
        "CREATE.S.bo",
        "{\"stream_name\":\"S\",\"config\":{\"backoff\":[-1,null],\"max_deliver\":3,\"max_ack_pen"
        "ding\":-1,\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"bo\",\"created\":\"2026-11-22T17:13:45.82016937Z\",\"config\":{\"name\":\"bo\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":-1,\"max_deliver\":3"
        ",\"backoff\":[-1,0],\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending"
        "\":-1,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_se"
        "q\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pe"
        "nding\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.mx",
        "{\"stream_name\":\"S\",\"config\":{\"max_expires\":1000000,\"sample_freq\":\"150\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"mx\",\"created\":\"2026-11-22T17:13:45.90819804Z\",\"config\":{\"name\":\"mx\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":"
        "\"instant\",\"sample_freq\":\"150\",\"max_waiting\":512,\"max_expires\":1000000,\"inacti"
        "ve_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream"
        "_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"nu"
        "m_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.S.dur",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"dur\",\"inactive_threshold\":-5,\""
        "deliver_subject\":\"dd2\",\"idle_heartbeat\":100000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"dur\",\"created\":\"2026-11-22T17:13:45.996170045Z\",\"config\":{\"durable_name"
        "\":\"dur\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"repla"
        "y_policy\":\"instant\",\"idle_heartbeat\":100000000,\"deliver_subject\":\"dd2\",\"inacti"
        "ve_threshold\":-5,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0"
        "},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redeli"
        "vered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.t0",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"by_start_time\",\"opt_start_time"
        "\":\"0001-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"t0\",\"created\":\"2026-11-22T17:13:46.084131724Z\",\"config\":{\"name\":\"t0\""
        ",\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\"0001-01-01T00:00:00Z\",\"ack_"
        "policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,"
        "\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,"
        "\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending"
        "\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S",
        "",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "[]",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "null",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10056,\"description\":\"stream name in subject does not match request\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":5}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"Last\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":null}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"ack_policy\":\"l\\u0061st\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"max_deliver\":1.5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"backoff\":[\"1s\"]}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"X\",\"config\":{\"num_replicas\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10056,\"description\":\"stream name in subject does not match request\"}}"},
    {
        "CREATE.S",
        "{\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10056,\"description\":\"stream name in subject does not match request\"}}"},
    {
        "CREATE.S.a/b",
        "{\"stream_name\":\"X\",\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10056,\"description\":\"stream name in subject does not match request\"}}"},
    {
        "CREATE.S.a/b",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"zz\",\"num_replicas\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10127,\"description\":\"Consumer name can not contain path separators\"}}"},
    {
        "CREATE.S.a\\b",
        "{\"stream_name\":\"S\",\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10127,\"description\":\"Consumer name can not contain path separators\"}}"},
    {
        "DURABLE.CREATE.S.d/x",
        "{\"stream_name\":\"S\",\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10127,\"description\":\"Consumer name can not contain path separators\"}}"},
    {
        "DURABLE.CREATE.S.d",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"d\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10018,\"description\":\"consumer expected to be durable but a durable name "
        "was not set\"}}"},
    {
        "DURABLE.CREATE.S.d",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"e\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10017,\"description\":\"consumer name in subject does not match durable nam"
        "e in request\"}}"},
    {
        "CREATE.S.a",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10017,\"description\":\"consumer name in subject does not match durable nam"
        "e in request\"}}"},
    {
        "CREATE.S.a.s.x",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"zz\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10017,\"description\":\"consumer name in subject does not match durable nam"
        "e in request\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"a\",\"durable_name\":\"b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10020,\"description\":\"consumer expected to be ephemeral but a durable nam"
        "e was set in request\"}}"},
    {
        "CREATE.S.a.s.y",
        "{\"stream_name\":\"S\",\"config\":{\"num_replicas\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10131,\"description\":\"Consumer create request did not match filtered subj"
        "ect from create subject\"}}"},
    {
        "CREATE.S.a.s.x",
        "{\"stream_name\":\"S\",\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10131,\"description\":\"Consumer create request did not match filtered subj"
        "ect from create subject\"}}"},
    {
        "CREATE.S.a.s.x",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"q\",\"filter_subject\":\"s.y\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10131,\"description\":\"Consumer create request did not match filtered subj"
        "ect from create subject\"}}"},
    {
        "CREATE.S.a.s.x",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"s.x\",\"num_replicas\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10074,\"description\":\"replicas \\u003e 1 not supported in non-clustered m"
        "ode\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"num_replicas\":3,\"durable_name\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10020,\"description\":\"consumer expected to be ephemeral but a durable nam"
        "e was set in request\"}}"},
    {
        "CREATE.T",
        "{\"stream_name\":\"T\",\"config\":{\"num_replicas\":-1,\"flow_control\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":404,"
        "\"err_code\":10059,\"description\":\"stream not found\"}}"},
    {
        "DURABLE.CREATE.T.d",
        "{\"stream_name\":\"T\",\"config\":{\"durable_name\":\"d\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":404,"
        "\"err_code\":10059,\"description\":\"stream not found\"}}"},
    {
        "DURABLE.CREATE.S.d.x",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"d\"}}",
        ""},
    {
        "DURABLE.CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"d\"}}",
        ""},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"num_replicas\":-1,\"backoff\":[1]}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10133,\"description\":\"replicas count cannot be negative\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"backoff\":[1],\"description\":\"xxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10116,\"description\":\"max deliver is required to be \\u003e length of bac"
        "koff values\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"backoff\":[1000000000]}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10116,\"description\":\"max deliver is required to be \\u003e length of bac"
        "koff values\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"description\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxx\",\"deliver_subject\":\"a.*\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10107,\"description\":\"consumer description is too long, maximum allowed i"
        "s 4096\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"s.>\",\"max_ack_pending\":4}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10079,\"description\":\"consumer deliver subject has wildcards\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"a..b\",\"max_waiting\":4}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10112,\"description\":\"invalid push consumer deliver subject\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"s.x\",\"max_waiting\":4}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10081,\"description\":\"consumer deliver subject forms a cycle\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"d\",\"max_waiting\":-4,\"max_ac"
        "k_pending\":4}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10080,\"description\":\"consumer in push mode can not set max waiting\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"d\",\"max_ack_pending\":4,\"idl"
        "e_heartbeat\":5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10082,\"description\":\"consumer requires ack policy for max ack pending\"}"
        "}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"d\",\"idle_heartbeat\":99999999"
        ",\"direct\":true,\"filter_subject\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10083,\"description\":\"consumer idle heartbeat needs to be \\u003e= 100ms"
        "\"}}"},
    {
        "CREATE.W",
        "{\"stream_name\":\"W\",\"config\":{\"ack_policy\":\"none\",\"rate_limit_bps\":1}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10084,\"description\":\"consumer in pull mode requires ack policy\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"rate_limit_bps\":5,\"max_waiting\":-1}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10086,\"description\":\"consumer in pull mode can not have rate limit set\""
        "}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"max_waiting\":-1,\"idle_heartbeat\":5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10087,\"description\":\"consumer max waiting needs to be positive\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"idle_heartbeat\":5,\"flow_control\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10088,\"description\":\"consumer idle heartbeat requires a push based consu"
        "mer\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"flow_control\":true,\"max_batch\":-1}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10089,\"description\":\"consumer flow control requires a push based consume"
        "r\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"max_batch\":-1,\"max_expires\":5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10114,\"description\":\"consumer max request batch needs to be \\u003e 0\"}"
        "}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"max_expires\":-1,\"direct\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10115,\"description\":\"consumer max request expires needs to be \\u003e= 1"
        "ms\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"direct\":true,\"filter_subject\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10090,\"description\":\"consumer direct requires a push based consumer\"}}"},
    {
        "DURABLE.CREATE.S.x",
        "{\"stream_name\":\"S\",\"config\":{\"direct\":true,\"deliver_subject\":\"d\",\"durable_n"
        "ame\":\"x\",\"filter_subject\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10091,\"description\":\"consumer direct requires an ephemeral consumer\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"x\",\"deliver_policy\":\"new\","
        "\"opt_start_seq\":1}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"s\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"s..x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"*.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.S.n.*",
        "{\"stream_name\":\"S\",\"config\":{\"filter_subject\":\"*\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"all\",\"opt_start_seq\":3,\"samp"
        "le_freq\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver all, but option"
        "al start sequence is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"all\",\"opt_start_time\":\"2026-"
        "01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver all, but option"
        "al start time is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last\",\"opt_start_seq\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver last, but optio"
        "nal start sequence is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last\",\"opt_start_time\":\"2026"
        "-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver last, but optio"
        "nal start time is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last_per_subject\",\"opt_start_s"
        "eq\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver last per subjec"
        "t, but optional start sequence is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last_per_subject\",\"opt_start_t"
        "ime\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver last per subjec"
        "t, but optional start time is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"last_per_subject\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver last per subjec"
        "t, but optional filter subject is not set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"new\",\"opt_start_seq\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver new, but option"
        "al start sequence is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"new\",\"opt_start_time\":\"2026-"
        "01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver new, but option"
        "al start time is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"by_start_sequence\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver by start sequen"
        "ce, but optional start sequence is not set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"by_start_sequence\",\"opt_start_"
        "seq\":3,\"opt_start_time\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver by start sequen"
        "ce, but optional start time is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"by_start_time\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver by start time, "
        "but optional start time is not set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_policy\":\"by_start_time\",\"opt_start_seq"
        "\":3,\"opt_start_time\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10094,\"description\":\"consumer delivery policy is deliver by start time, "
        "but optional start start sequence is also set\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"x%\",\"flow_control\":true,\"delive"
        "r_subject\":\"d\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"x\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"-5%\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: \\"
        "u003cnil\\u003e\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"%\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"5%%\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"5%\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\" 5\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\" 5\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"99999999999999999999\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"99999999999999999999\\\": value out of range\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"9999999999999999999x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"9999999999999999999x\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"-9223372036854775809\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"-9223372036854775809\\\": value out of range\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"sample_freq\":\"<\\\"&>\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10095,\"description\":\"failed to parse consumer sampling configuration: st"
        "rconv.Atoi: parsing \\\"\\u003c\\\\\\\"\\u0026\\u003e\\\": invalid syntax\"}}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"flow_control\":true,\"deliver_subject\":\"d\",\"nam"
        "e\":\"a.b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10108,\"description\":\"consumer with flow control also needs heartbeats\"}"
        "}"},
    {
        "DURABLE.CREATE.S.d2",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"d2\",\"name\":\"q\",\"ack_policy\""
        ":\"bogus\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10025,\"description\":\"invalid JSON\"}}"},
    {
        "DURABLE.CREATE.S.d2",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"d2\",\"name\":\"q\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10132,\"description\":\"Consumer Durable and Name have to be equal if both "
        "are provided\"}}"},
    {
        "CREATE.W",
        "{\"stream_name\":\"W\",\"config\":{\"ack_policy\":\"all\",\"name\":\"a.b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10098,\"description\":\"workqueue stream requires explicit ack\"}}"},
    {
        "CREATE.W",
        "{\"stream_name\":\"W\",\"config\":{\"ack_policy\":\"none\",\"deliver_subject\":\"d\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10098,\"description\":\"workqueue stream requires explicit ack\"}}"},
    {
        "CREATE.W",
        "{\"stream_name\":\"W\",\"config\":{\"ack_policy\":\"explicit\",\"deliver_policy\":\"last"
        "\",\"name\":\"a.b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10101,\"description\":\"consumer must be deliver all on workqueue stream\"}"
        "}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"*\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10103,\"description\":\"durable name can not contain '.', '*', '\\u003e'\"}"
        "}"},
    {
        "CREATE.S",
        "{\"stream_name\":\"S\",\"config\":{\"name\":\"a b\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10103,\"description\":\"durable name can not contain '.', '*', '\\u003e'\"}"
        "}"},
    {
        "CREATE.S.*",
        "{\"stream_name\":\"S\",\"config\":{}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10103,\"description\":\"durable name can not contain '.', '*', '\\u003e'\"}"
        "}"},
    {
        "DURABLE.CREATE.S.nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnn",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10102,\"description\":\"consumer name is too long, maximum allowed is 255\""
        "}}"},
};
static const struct capc_row CAPC_SEQ_ROWS[] = {
    {
        "CREATE.WQ.a",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "*.bar\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"WQ\","
        "\"name\":\"a\",\"created\":\"2026-11-22T17:13:52.088103909Z\",\"config\":{\"name\":\"a\""
        ",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_d"
        "eliver\":-1,\"filter_subject\":\"wq.*.bar\",\"replay_policy\":\"instant\",\"max_waiting"
        "\":512,\"max_ack_pending\":1000,\"inactive_threshold\":5000000000,\"num_replicas\":0},\""
        "delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"st"
        "ream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pendin"
        "g\":0}"},
    {
        "CREATE.WQ.b",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        ">\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10100,\"description\":\"filtered consumer not unique on workqueue stream\"}"
        "}"},
    {
        "CREATE.WQ.b",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "x.bar\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10100,\"description\":\"filtered consumer not unique on workqueue stream\"}"
        "}"},
    {
        "CREATE.WQ.c",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "x.*\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"WQ\","
        "\"name\":\"c\",\"created\":\"2026-11-22T17:13:52.22011778Z\",\"config\":{\"name\":\"c\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_de"
        "liver\":-1,\"filter_subject\":\"wq.x.*\",\"replay_policy\":\"instant\",\"max_waiting\":5"
        "12,\"max_ack_pending\":1000,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"deli"
        "vered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream"
        "_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":"
        "0}"},
    {
        "CREATE.WQ.d",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "x.*\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10100,\"description\":\"filtered consumer not unique on workqueue stream\"}"
        "}"},
    {
        "CREATE.WQ.e",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10099,\"description\":\"multiple non-filtered consumers not allowed on work"
        "queue stream\"}}"},
    {
        "CREATE.WQ.f",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "y\",\"deliver_policy\":\"new\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10101,\"description\":\"consumer must be deliver all on workqueue stream\"}"
        "}"},
    {
        "CREATE.WQ.g",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        "*.bar\",\"direct\":true,\"deliver_subject\":\"dq\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"WQ\","
        "\"name\":\"g\",\"created\":\"2026-11-22T17:13:52.396123102Z\",\"config\":{\"name\":\"g\""
        ",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_d"
        "eliver\":-1,\"filter_subject\":\"wq.*.bar\",\"replay_policy\":\"instant\",\"max_ack_pend"
        "ing\":1000,\"deliver_subject\":\"dq\",\"inactive_threshold\":5000000000,\"num_replicas\""
        ":0,\"direct\":true},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{"
        "\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_w"
        "aiting\":0,\"num_pending\":0}"},
    {
        "CREATE.WQ.a",
        "{\"stream_name\":\"WQ\",\"config\":{\"ack_policy\":\"explicit\",\"filter_subject\":\"wq."
        ">\",\"description\":\"u\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"WQ\","
        "\"name\":\"a\",\"created\":\"2026-11-22T17:13:52.088103909Z\",\"config\":{\"name\":\"a\""
        ",\"description\":\"u\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait"
        "\":30000000000,\"max_deliver\":-1,\"filter_subject\":\"wq.\\u003e\",\"replay_policy\":\""
        "instant\",\"max_waiting\":512,\"max_ack_pending\":1000,\"inactive_threshold\":5000000000"
        ",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{"
        "\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_w"
        "aiting\":0,\"num_pending\":0}"},
    {
        "CREATE.M.a",
        "{\"stream_name\":\"M\",\"config\":{\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"M\",\""
        "name\":\"a\",\"created\":\"2026-11-22T17:13:52.484093274Z\",\"config\":{\"name\":\"a\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_de"
        "liver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":1000,\""
        "inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\""
        "stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":"
        "0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.M.b",
        "{\"stream_name\":\"M\",\"config\":{\"ack_policy\":\"explicit\",\"flow_control\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10089,\"description\":\"consumer flow control requires a push based consume"
        "r\"}}"},
    {
        "CREATE.M.b",
        "{\"stream_name\":\"M\",\"config\":{\"ack_policy\":\"explicit\",\"name\":\"b.c\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10026,\"description\":\"maximum consumers limit reached\"}}"},
    {
        "CREATE.M.a",
        "{\"stream_name\":\"M\",\"config\":{\"ack_policy\":\"explicit\",\"description\":\"y\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"M\",\""
        "name\":\"a\",\"created\":\"2026-11-22T17:13:52.484093274Z\",\"config\":{\"name\":\"a\","
        "\"description\":\"y\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait"
        "\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"ma"
        "x_ack_pending\":1000,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\""
        ":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":"
        "0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.MI2.a",
        "{\"stream_name\":\"MI2\",\"config\":{\"filter_subject\":\"o.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"MI2\","
        "\"name\":\"a\",\"created\":\"2026-11-22T17:13:52.66009535Z\",\"config\":{\"name\":\"a\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"filter_subject\""
        ":\"o.x\",\"replay_policy\":\"instant\",\"max_waiting\":512,\"inactive_threshold\":500000"
        "0000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"n"
        "um_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.MI2.b",
        "{\"stream_name\":\"MI2\",\"config\":{\"filter_subject\":\"p.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.SO.a",
        "{\"stream_name\":\"SO\",\"config\":{\"filter_subject\":\"o.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"SO\","
        "\"name\":\"a\",\"created\":\"2026-11-22T17:13:52.748075918Z\",\"config\":{\"name\":\"a\""
        ",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"filter_subject"
        "\":\"o.x\",\"replay_policy\":\"instant\",\"max_waiting\":512,\"inactive_threshold\":5000"
        "000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_flo"
        "or\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,"
        "\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.SO.b",
        "{\"stream_name\":\"SO\",\"config\":{\"filter_subject\":\"so.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"SO\","
        "\"name\":\"b\",\"created\":\"2026-11-22T17:13:52.792087258Z\",\"config\":{\"name\":\"b\""
        ",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"filter_subject"
        "\":\"so.x\",\"replay_policy\":\"instant\",\"max_waiting\":512,\"inactive_threshold\":500"
        "0000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_fl"
        "oor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,"
        "\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.SO.c",
        "{\"stream_name\":\"SO\",\"config\":{\"filter_subject\":\"p.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10093,\"description\":\"consumer filter subject is not a valid subset of th"
        "e interest subjects\"}}"},
    {
        "CREATE.SX.c",
        "{\"stream_name\":\"SX\",\"config\":{\"filter_subject\":\"p.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"SX\","
        "\"name\":\"c\",\"created\":\"2026-11-22T17:13:52.88007698Z\",\"config\":{\"name\":\"c\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"filter_subject\""
        ":\"p.x\",\"replay_policy\":\"instant\",\"max_waiting\":512,\"inactive_threshold\":500000"
        "0000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"n"
        "um_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"a"
        "ck_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered"
        "\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"a"
        "ck_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered"
        "\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"deliver_policy\":\"new\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"deliver policy can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"ack_wait\":1000000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":1000000000,\""
        "max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subjec"
        "t\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack"
        "_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\""
        ":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"replay_policy\":\"original\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"replay policy can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"idle_heartbeat\":1000000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"heart beats can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"flow_control\":true,\"idle_heartbeat\":1000000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"heart beats can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"max_deliver\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":3,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subje"
        "ct\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ac"
        "k_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered"
        "\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"backoff\":[1000000000,2000000000]}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10116,\"description\":\"max deliver is required to be \\u003e length of bac"
        "koff values\"}}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"description\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"description\":\"x\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ac"
        "k_wait\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending"
        "\":1000,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0"
        ",\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending"
        "\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"max_ack_pending\":5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":5,\"deliver_subject"
        "\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_"
        "floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":"
        "0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"filter_subject\":\"o.x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"filter_subject\":\"o.x\",\"replay_policy\":\"instant\",\"max_ack_pe"
        "nding\":1000,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_se"
        "q\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pe"
        "nding\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"rate_limit_bps\":100}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"rate_limit_bps\":100,\"max_ack_pendin"
        "g\":1000,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":"
        "0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pendin"
        "g\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"sample_freq\":\"10%\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"sample_freq\":\"10%\",\"max_ack_pendi"
        "ng\":1000,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\""
        ":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pendi"
        "ng\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"headers_only\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"headers_only"
        "\":true,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0"
        ",\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending"
        "\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"deliver_group\":\"g\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"deliver_group\":\"g\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\""
        ":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pendi"
        "ng\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"inactive_threshold\":7000000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"inactive_threshold\":7000000000,\"num_replicas\":0},\"delivered\":{\"cons"
        "umer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num"
        "_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"num_replicas\":1}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"num_replicas\":1},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"a"
        "ck_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered"
        "\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"mem_storage\":true}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"dd\",\"num_replicas\":0,\"mem_storage\":true},\"delivered\":{\"consumer_seq\":0,"
        "\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending"
        "\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"max_batch\":3}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"max_batch\":"
        "3,\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"str"
        "eam_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,"
        "\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"dd\",\"name\":\"d\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"name\":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait"
        "\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000"
        ",\"deliver_subject\":\"dd\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stre"
        "am_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\""
        "num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"ee\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:13:52.924082001Z\",\"config\":{\"durable_name\""
        ":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,"
        "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subj"
        "ect\":\"ee\",\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"a"
        "ck_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered"
        "\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.d",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"d\",\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"max waiting can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.p",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"p\",\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"p\",\"created\":\"2026-11-22T17:13:53.93610289Z\",\"config\":{\"durable_name\":"
        "\"p\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\""
        "max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":1"
        "000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"n"
        "um_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.p",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"p\",\"ack_policy\":\"explicit\",\""
        "deliver_subject\":\"zz\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"max waiting can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.p",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"p\",\"ack_policy\":\"explicit\",\""
        "max_waiting\":100}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"max waiting can not be updated\"}}"},
    {
        "DURABLE.CREATE.O.p",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"p\",\"ack_policy\":\"explicit\",\""
        "backoff\":[1],\"max_deliver\":5}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"p\",\"created\":\"2026-11-22T17:13:53.93610289Z\",\"config\":{\"durable_name\":"
        "\"p\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":1,\"max_delive"
        "r\":5,\"backoff\":[1],\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pendin"
        "g\":1000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_f"
        "loor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0"
        ",\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.t",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"t\",\"deliver_policy\":\"by_start_"
        "time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"t\",\"created\":\"2026-11-22T17:13:54.112116344Z\",\"config\":{\"durable_name\""
        ":\"t\",\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\","
        "\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\""
        ":512,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"n"
        "um_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.t",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"t\",\"deliver_policy\":\"by_start_"
        "time\",\"opt_start_time\":\"2026-01-01T00:00:00.000Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"t\",\"created\":\"2026-11-22T17:13:54.112116344Z\",\"config\":{\"durable_name\""
        ":\"t\",\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\","
        "\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\""
        ":512,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor"
        "\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"n"
        "um_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.t",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"t\",\"deliver_policy\":\"by_start_"
        "time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\",\"description\":\"x\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"start time can not be updated\"}}"},
    {
        "CREATE.O.e",
        "{\"stream_name\":\"O\",\"config\":{\"deliver_policy\":\"by_start_time\",\"opt_start_time"
        "\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"e\",\"created\":\"2026-11-22T17:13:54.24412743Z\",\"config\":{\"name\":\"e\",\""
        "deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\",\"ack_pol"
        "icy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"in"
        "active_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"st"
        "ream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,"
        "\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.O.e",
        "{\"stream_name\":\"O\",\"config\":{\"deliver_policy\":\"by_start_time\",\"opt_start_time"
        "\":\"2026-01-01T00:00:00Z\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":500,"
        "\"err_code\":10012,\"description\":\"start time can not be updated\"}}"},
    {
        "CREATE.O.e",
        "{\"stream_name\":\"O\",\"config\":{\"deliver_policy\":\"by_start_time\",\"opt_start_time"
        "\":\"2026-01-01T00:00:00Z\",\"inactive_threshold\":5000000000}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"e\",\"created\":\"2026-11-22T17:13:54.24412743Z\",\"config\":{\"name\":\"e\",\""
        "deliver_policy\":\"by_start_time\",\"opt_start_time\":\"2026-01-01T00:00:00Z\",\"ack_pol"
        "icy\":\"none\",\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"in"
        "active_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"st"
        "ream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,"
        "\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.O.f",
        "{\"stream_name\":\"O\",\"config\":{\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"f\",\"created\":\"2026-11-22T17:13:54.376113319Z\",\"config\":{\"name\":\"f\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_de"
        "liver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":1000,\""
        "inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\""
        "stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":"
        "0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.O.f",
        "{\"stream_name\":\"O\",\"config\":{\"ack_policy\":\"explicit\",\"durable_name\":\"f\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"f\",\"created\":\"2026-11-22T17:13:54.376113319Z\",\"config\":{\"durable_name\""
        ":\"f\",\"name\":\"f\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait"
        "\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"ma"
        "x_ack_pending\":1000,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\""
        ":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":"
        "0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "DURABLE.CREATE.O.b",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"b\",\"deliver_subject\":\"bound\"}"
        "}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"O\",\""
        "name\":\"b\",\"created\":\"2026-11-22T17:13:54.464092605Z\",\"config\":{\"durable_name\""
        ":\"b\",\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_po"
        "licy\":\"instant\",\"deliver_subject\":\"bound\",\"num_replicas\":0},\"delivered\":{\"co"
        "nsumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"n"
        "um_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0,\"push_boun"
        "d\":true}"},
    {
        "DURABLE.CREATE.O.b",
        "{\"stream_name\":\"O\",\"config\":{\"durable_name\":\"b\",\"deliver_subject\":\"bound2\""
        "}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10013,\"description\":\"consumer name already in use\"}}"},
};
static const char CAPC_NAMES_EMPTY[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"total\":0,\"offset\":0,"
    "\"limit\":1024,\"consumers\":[]}";
static const char CAPC_LIST_EMPTY[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_list_response\",\"total\":0,\"offset\":0,"
    "\"limit\":256,\"consumers\":[]}";
static const char CAPC_INFO_CREATE_PUSH[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"I\",\""
    "name\":\"DcaFWrM0\",\"created\":\"2026-11-22T17:13:54.816121155Z\",\"config\":{\"deliver"
    "_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_deliver\":-"
    "1,\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subject\":\"dlv\",\"i"
    "nactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"s"
    "tream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0"
    ",\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":3,\"push_bound\":true}";
static const char CAPC_ACK_REPLY_1[] =
    "$JS.ACK.I.DcaFWrM0.1.1.1.1795367634684059973.2";
static const char CAPC_ACK_REPLY_3[] =
    "$JS.ACK.I.DcaFWrM0.1.3.3.1795367634772036124.0";
static const char CAPC_INFO_PUSH_DELIVERED[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"stream_name\":\"I\",\"na"
    "me\":\"DcaFWrM0\",\"created\":\"2026-11-22T17:13:54.816121155Z\",\"config\":{\"deliver_p"
    "olicy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_deliver\":-1,"
    "\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subject\":\"dlv\",\"ina"
    "ctive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":3,\"str"
    "eam_seq\":3,\"last_active\":\"2026-11-22T17:13:54.817047616Z\"},\"ack_floor\":{\"consume"
    "r_seq\":0,\"stream_seq\":0},\"num_ack_pending\":3,\"num_redelivered\":0,\"num_waiting\":"
    "0,\"num_pending\":0,\"push_bound\":true}";
static const char CAPC_INFO_PUSH_ACKED[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"stream_name\":\"I\",\"na"
    "me\":\"DcaFWrM0\",\"created\":\"2026-11-22T17:13:54.816121155Z\",\"config\":{\"deliver_p"
    "olicy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_deliver\":-1,"
    "\"replay_policy\":\"instant\",\"max_ack_pending\":1000,\"deliver_subject\":\"dlv\",\"ina"
    "ctive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":3,\"str"
    "eam_seq\":3,\"last_active\":\"2026-11-22T17:13:54.817047616Z\"},\"ack_floor\":{\"consume"
    "r_seq\":1,\"stream_seq\":1,\"last_active\":\"2026-11-22T17:13:55.160094596Z\"},\"num_ack"
    "_pending\":2,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0,\"push_bound\":tr"
    "ue}";
static const char CAPC_INFO_PULL_WAITING[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"stream_name\":\"I\",\"na"
    "me\":\"pl\",\"created\":\"2026-11-22T17:13:55.360173426Z\",\"config\":{\"name\":\"pl\","
    "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_de"
    "liver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":1000,\""
    "inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":3,\""
    "stream_seq\":3,\"last_active\":\"2026-11-22T17:13:55.404181442Z\"},\"ack_floor\":{\"cons"
    "umer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":3,\"num_redelivered\":0,\"num_waiting"
    "\":1,\"num_pending\":0}";
static const char CAPC_NAMES[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"total\":2,\"offset\":0,"
    "\"limit\":1024,\"consumers\":[\"DcaFWrM0\",\"pl\"]}";
static const char CAPC_NAMES_OFFSET[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"total\":2,\"offset\":1,"
    "\"limit\":1024,\"consumers\":[\"pl\"]}";
static const char CAPC_NAMES_PAST_END[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"total\":2,\"offset\":2,"
    "\"limit\":1024,\"consumers\":[]}";
static const char CAPC_NAMES_BAD[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"error\":{\"code\":400,"
    "\"err_code\":10025,\"description\":\"invalid JSON\"},\"total\":0,\"offset\":0,\"limit\":"
    "0,\"consumers\":[]}";
static const char CAPC_NAMES_404[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\",\"error\":{\"code\":404,"
    "\"err_code\":10059,\"description\":\"stream not found\"},\"total\":0,\"offset\":0,\"limi"
    "t\":0,\"consumers\":[]}";
static const char CAPC_LIST_OFFSET[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_list_response\",\"total\":2,\"offset\":1,"
    "\"limit\":256,\"consumers\":[{\"stream_name\":\"I\",\"name\":\"pl\",\"created\":\"2026-1"
    "1-22T17:13:55.360173426Z\",\"config\":{\"name\":\"pl\",\"deliver_policy\":\"all\",\"ack_"
    "policy\":\"explicit\",\"ack_wait\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"in"
    "stant\",\"max_waiting\":512,\"max_ack_pending\":1000,\"inactive_threshold\":5000000000,"
    "\"num_replicas\":0},\"delivered\":{\"consumer_seq\":3,\"stream_seq\":3,\"last_active\":"
    "\"2026-11-22T17:13:55.404181442Z\"},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},"
    "\"num_ack_pending\":3,\"num_redelivered\":0,\"num_waiting\":1,\"num_pending\":0}]}";
static const char CAPC_LIST_BAD[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_list_response\",\"error\":{\"code\":400,\""
    "err_code\":10025,\"description\":\"invalid JSON\"},\"total\":0,\"offset\":0,\"limit\":0,"
    "\"consumers\":[]}";
static const char CAPC_LIST_404[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_list_response\",\"error\":{\"code\":404,\""
    "err_code\":10059,\"description\":\"stream not found\"},\"total\":0,\"offset\":0,\"limit"
    "\":0,\"consumers\":[]}";
static const char CAPC_INFO_404[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"error\":{\"code\":404,\""
    "err_code\":10014,\"description\":\"consumer not found\"}}";
static const char CAPC_INFO_STREAM_404[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"error\":{\"code\":404,\""
    "err_code\":10059,\"description\":\"stream not found\"}}";
static const char CAPC_INFO_NOT_EMPTY[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_info_response\",\"error\":{\"code\":400,\""
    "err_code\":10038,\"description\":\"expected an empty request payload\"}}";
static const char CAPC_DELETE_404[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_delete_response\",\"error\":{\"code\":404,"
    "\"err_code\":10014,\"description\":\"consumer not found\"}}";
static const char CAPC_DELETE_NOT_EMPTY[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_delete_response\",\"error\":{\"code\":400,"
    "\"err_code\":10038,\"description\":\"expected an empty request payload\"}}";
static const char CAPC_DELETE_OK[] =
    "{\"type\":\"io.nats.jetstream.api.v1.consumer_delete_response\",\"success\":true}";
static const struct capc_pull CAPC_PULL_ROWS[] = {
    {
        "",
        ""},
    {
        "{}",
        ""},
    {
        "{\"batch\":0}",
        ""},
    {
        "{\"batch\":-1}",
        ""},
    {
        "0",
        ""},
    {
        "-3",
        ""},
    {
        " 2 ",
        ""},
    {
        "2x",
        ""},
    {
        "+2",
        ""},
    {
        "\302\2402\302\240",
        ""},
    {
        "{\"Batch\":2}",
        ""},
    {
        "{\"BATCH\":2,\"bogus\":[1,{\"a\":2}]}",
        ""},
    {
        "{\"batch\":1,\"batch\":2}",
        ""},
    {
        "{\"b\\u0061tch\":2}",
        ""},
    {
        "{\"expires\":-1,\"batch\":1}",
        ""},
    {
        "{\"max_bytes\":-5,\"batch\":1}",
        ""},
    {
        "{\"idle_heartbeat\":-5}",
        ""},
    {
        "{\"batch\":null,\"no_wait\":null}",
        ""},
    {
        "{\"batch\":\"x\",\"batch\":2}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal string into Go struct field JSApiConsu"
        "merGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":1.5}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal number 1.5 into Go struct field JSApiC"
        "onsumerGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":1e1}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal number 1e1 into Go struct field JSApiC"
        "onsumerGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":-0}",
        ""},
    {
        "{\"batch\":99999999999999999999}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal number 99999999999999999999 into Go st"
        "ruct field JSApiConsumerGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":true}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal bool into Go struct field JSApiConsume"
        "rGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":[1]}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal array into Go struct field JSApiConsum"
        "erGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":{\"a\":1}}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal object into Go struct field JSApiConsu"
        "merGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"batch\":null,\"expires\":\"x\"}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal string into Go struct field JSApiConsu"
        "merGetNextRequest.expires of type time.Duration\r\n\r\n"},
    {
        "{\"no_wait\":1}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal number into Go struct field JSApiConsu"
        "merGetNextRequest.no_wait of type bool\r\n\r\n"},
    {
        "{\"no_wait\":\"true\"}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal string into Go struct field JSApiConsu"
        "merGetNextRequest.no_wait of type bool\r\n\r\n"},
    {
        "{\"expires\":1.0}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal number 1.0 into Go struct field JSApiC"
        "onsumerGetNextRequest.expires of type time.Duration\r\n\r\n"},
    {
        "{\"max_bytes\":false}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal bool into Go struct field JSApiConsume"
        "rGetNextRequest.max_bytes of type int\r\n\r\n"},
    {
        "{\"idle_heartbeat\":[]}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal array into Go struct field JSApiConsum"
        "erGetNextRequest.idle_heartbeat of type time.Duration\r\n\r\n"},
    {
        "{\"batch\":2}x",
        "NATS/1.0 400 Bad Request - invalid character 'x' after top-level value\r\n\r\n"},
    {
        "{\"batch\":2} {\"batch\":3}",
        "NATS/1.0 400 Bad Request - invalid character '{' after top-level value\r\n\r\n"},
    {
        "{\"batch\":",
        "NATS/1.0 400 Bad Request - unexpected end of JSON input\r\n\r\n"},
    {
        "{\"batch\":2,}",
        "NATS/1.0 400 Bad Request - invalid character '}' looking for beginning of object key str"
        "ing\r\n\r\n"},
    {
        "{\"batch\":tru}",
        "NATS/1.0 400 Bad Request - invalid character '}' in literal true (expecting 'e')\r\n\r\n"},
    {
        "{\"batch\":fals}",
        "NATS/1.0 400 Bad Request - invalid character '}' in literal false (expecting 'e')\r\n\r"
        "\n"},
    {
        "{\"batch\":nul}",
        "NATS/1.0 400 Bad Request - invalid character '}' in literal null (expecting 'l')\r\n\r\n"},
    {
        "{\"batch\":-}",
        "NATS/1.0 400 Bad Request - invalid character '}' in numeric literal\r\n\r\n"},
    {
        "{\"batch\":01}",
        "NATS/1.0 400 Bad Request - invalid character '1' after object key:value pair\r\n\r\n"},
    {
        "{\"batch\":1.}",
        "NATS/1.0 400 Bad Request - invalid character '}' after decimal point in numeric literal"
        "\r\n\r\n"},
    {
        "{\"batch\":1e}",
        "NATS/1.0 400 Bad Request - invalid character '}' in exponent of numeric literal\r\n\r\n"},
    {
        "{\"batch\":1e+}",
        "NATS/1.0 400 Bad Request - invalid character '}' in exponent of numeric literal\r\n\r\n"},
    {
        "{\"batch\":\"\\x\"}",
        "NATS/1.0 400 Bad Request - invalid character 'x' in string escape code\r\n\r\n"},
    {
        "{\"batch\":\"\\u12\"}",
        "NATS/1.0 400 Bad Request - invalid character '\"' in \\u hexadecimal character escape\r"
        "\n\r\n"},
    {
        "{\001}",
        "NATS/1.0 400 Bad Request - invalid character '\\x01' looking for beginning of object key"
        " string\r\n\r\n"},
    {
        "{\"batch\":2\303\251}",
        "NATS/1.0 400 Bad Request - invalid character '\303\203' after object key:value pair\r\n"
        "\r\n"},
    {
        "{\"batch\":2\200}",
        "NATS/1.0 400 Bad Request - invalid character '\\u0080' after object key:value pair\r\n\r"
        "\n"},
    {
        "{\"batch\":2'}",
        "NATS/1.0 400 Bad Request - invalid character '\\'' after object key:value pair\r\n\r\n"},
    {
        "{\"batch\":2\"}",
        "NATS/1.0 400 Bad Request - invalid character '\"' after object key:value pair\r\n\r\n"},
    {
        "{\"a\"}",
        "NATS/1.0 400 Bad Request - invalid character '}' after object key\r\n\r\n"},
    {
        "{\"a\":1 \"b\":2}",
        "NATS/1.0 400 Bad Request - invalid character '\"' after object key:value pair\r\n\r\n"},
    {
        "{\"a\":[1 2]}",
        "NATS/1.0 400 Bad Request - invalid character '2' after array element\r\n\r\n"},
    {
        "{\"a\":[1,]}",
        "NATS/1.0 400 Bad Request - invalid character ']' looking for beginning of value\r\n\r\n"},
    {
        "{\"a\":\"\001\"}",
        "NATS/1.0 400 Bad Request - invalid character '\\x01' in string literal\r\n\r\n"},
    {
        "{:1}",
        "NATS/1.0 400 Bad Request - invalid character ':' looking for beginning of object key str"
        "ing\r\n\r\n"},
    {
        "{\"a\":\011}",
        "NATS/1.0 400 Bad Request - invalid character '}' looking for beginning of value\r\n\r\n"},
    {
        "{\"idle_heartbeat\":100000000}",
        "NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n"},
    {
        "{\"idle_heartbeat\":100,\"expires\":199}",
        "NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n"},
    {
        "{\"idle_heartbeat\":100,\"expires\":200}",
        ""},
    {
        "{\"batch\":[[[[[]]]]]}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal array into Go struct field JSApiConsum"
        "erGetNextRequest.batch of type int\r\n\r\n"},
    {
        "{\"a\":[]}",
        ""},
    {
        "{\"a\":\177}",
        "NATS/1.0 400 Bad Request - invalid character '\\x7f' looking for beginning of value\r\n"
        "\r\n"},
    {
        "{\"a\":\255}",
        "NATS/1.0 400 Bad Request - invalid character '\\u00ad' looking for beginning of value\r"
        "\n\r\n"},
    {
        "{\"a\":\240}",
        "NATS/1.0 400 Bad Request - invalid character '\\u00a0' looking for beginning of value\r"
        "\n\r\n"},
    {
        "{\"a\":\\}",
        "NATS/1.0 400 Bad Request - invalid character '\\\\' looking for beginning of value\r\n\r"
        "\n"},
    {
        "{\"a\":\013}",
        "NATS/1.0 400 Bad Request - invalid character '\\v' looking for beginning of value\r\n\r"
        "\n"},
    {
        "{\"a\":[]]}",
        "NATS/1.0 400 Bad Request - invalid character ']' after object key:value pair\r\n\r\n"},
    {
        "{\"a\":\"\177\377\"}",
        ""},
    {
        "{\"idle_heartbeat\":1,\"expires\":5,\"EXPIRE\305\277\":1}",
        "NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n"},
    {
        "{\"idle_heartbeat\":1,\"expires\":5,\"EXPIRE\305\277X\":1}",
        ""},
    {
        "{\"batch\":\"\\ud800\"}",
        "NATS/1.0 400 Bad Request - json: cannot unmarshal string into Go struct field JSApiConsu"
        "merGetNextRequest.batch of type int\r\n\r\n"},
};
static const char CAPC_ST_NO_MESSAGES[] =
    "NATS/1.0 404 No Messages\r\n\r\n";
static const char CAPC_ST_MAX_BATCH[] =
    "NATS/1.0 409 Exceeded MaxRequestBatch of 5\r\n\r\n";
static const char CAPC_ST_MAX_EXPIRES[] =
    "NATS/1.0 409 Exceeded MaxRequestExpires of 2.5s\r\n\r\n";
static const char CAPC_ST_MAX_BYTES[] =
    "NATS/1.0 409 Exceeded MaxRequestMaxBytes of 1000\r\n\r\n";
static const char CAPC_ST_HB_TOO_LARGE[] =
    "NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n";
static const char CAPC_ST_HEARTBEAT[] =
    "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n";
static const char CAPC_ST_TIMEOUT[] =
    "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 0\r\nNats-Pending-Bytes: 0\r\n\r"
    "\n";
static const char CAPC_ST_MAX_WAITING[] =
    "NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n";
static const char CAPC_ST_DELETED[] =
    "NATS/1.0 409 Consumer Deleted\r\n\r\n";
static const char CAPC_ST_MSG_SIZE[] =
    "NATS/1.0 409 Message Size Exceeds MaxBytes\r\nNats-Pending-Messages: 2\r\nNats-Pending-B"
    "ytes: 100\r\n\r\n";
static const char CAPC_ST_TIMEOUT_BYTES[] =
    "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\nNats-Pending-Bytes: 15\r\n\r"
    "\n";
static const char CAPC_ST_PUSH_BASED[] =
    "NATS/1.0 409 Consumer is push based\r\n\r\n";
static const char CAPC_ST_FLOW_CONTROL[] =
    "NATS/1.0 100 FlowControl Request\r\n\r\n";
static const char CAPC_ST_FLOW_CONTROL_REPLY[] =
    "$JS.FC.Q.push.H2gR";
static const char CAPC_ST_HEARTBEAT_STALLED[] =
    "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 23\r\nNats-Last-Stream: 23\r\nNats-Co"
    "nsumer-Stalled: $JS.FC.Q.push.H2gR\r\n\r\n";
static const struct capc_row CAPC_LIMIT_ROWS[] = {
    {
        "CREATE.S.a",
        "{\"stream_name\":\"S\",\"config\":{\"ack_policy\":\"explicit\"}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"a\",\"created\":\"2026-11-22T17:14:09.336116277Z\",\"config\":{\"name\":\"a\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_de"
        "liver\":-1,\"replay_policy\":\"instant\",\"max_waiting\":512,\"max_ack_pending\":100,\"m"
        "ax_batch\":50,\"inactive_threshold\":5000000000,\"num_replicas\":0},\"delivered\":{\"con"
        "sumer_seq\":0,\"stream_seq\":0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"nu"
        "m_ack_pending\":0,\"num_redelivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.b",
        "{\"stream_name\":\"S\",\"config\":{\"ack_policy\":\"explicit\",\"max_ack_pending\":101}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10121,\"description\":\"consumer max ack pending exceeds system limit of 10"
        "0\"}}"},
    {
        "CREATE.S.c",
        "{\"stream_name\":\"S\",\"config\":{\"ack_policy\":\"explicit\",\"max_batch\":51}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10125,\"description\":\"consumer max request batch exceeds server limit of "
        "50\"}}"},
    {
        "CREATE.S.d",
        "{\"stream_name\":\"S\",\"config\":{\"max_batch\":50,\"max_ack_pending\":100}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"d\",\"created\":\"2026-11-22T17:14:09.512090181Z\",\"config\":{\"name\":\"d\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":"
        "\"instant\",\"max_waiting\":512,\"max_ack_pending\":100,\"max_batch\":50,\"inactive_thre"
        "shold\":5000000000,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":"
        "0},\"ack_floor\":{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redel"
        "ivered\":0,\"num_waiting\":0,\"num_pending\":0}"},
    {
        "CREATE.S.e",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"dd\",\"ack_policy\":\"all\",\"m"
        "ax_ack_pending\":101}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10121,\"description\":\"consumer max ack pending exceeds system limit of 10"
        "0\"}}"},
    {
        "CREATE.S.g",
        "{\"stream_name\":\"S\",\"config\":{\"max_batch\":51,\"max_ack_pending\":101}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10125,\"description\":\"consumer max request batch exceeds server limit of "
        "50\"}}"},
    {
        "CREATE.S.h",
        "{\"stream_name\":\"S\",\"config\":{\"max_ack_pending\":101}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"error\":{\"code\":400,"
        "\"err_code\":10121,\"description\":\"consumer max ack pending exceeds system limit of 10"
        "0\"}}"},
    {
        "CREATE.S.i",
        "{\"stream_name\":\"S\",\"config\":{\"deliver_subject\":\"dd\",\"max_batch\":51}}",
        "{\"type\":\"io.nats.jetstream.api.v1.consumer_create_response\",\"stream_name\":\"S\",\""
        "name\":\"i\",\"created\":\"2026-11-22T17:14:09.732089788Z\",\"config\":{\"name\":\"i\","
        "\"deliver_policy\":\"all\",\"ack_policy\":\"none\",\"max_deliver\":-1,\"replay_policy\":"
        "\"instant\",\"max_batch\":51,\"deliver_subject\":\"dd\",\"inactive_threshold\":500000000"
        "0,\"num_replicas\":0},\"delivered\":{\"consumer_seq\":0,\"stream_seq\":0},\"ack_floor\":"
        "{\"consumer_seq\":0,\"stream_seq\":0},\"num_ack_pending\":0,\"num_redelivered\":0,\"num_"
        "waiting\":0,\"num_pending\":0}"},
};
static const char CAPC_DOUBLE_ACK[] =
    "";
static const char CAPC_ADV_CREATED[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.consumer_action\",\"id\":\"YkwpRiv4k90mfAxv9aJ"
    "HoI\",\"timestamp\":\"2026-11-22T17:14:10.101342036Z\",\"stream\":\"S\",\"consumer\":\"p"
    "\",\"action\":\"create\"}";
static const char CAPC_ADV_DELETED[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.consumer_action\",\"id\":\"YkwpRiv4k90mfAxv9aJ"
    "ICu\",\"timestamp\":\"2026-11-22T17:14:11.632141437Z\",\"stream\":\"S\",\"consumer\":\"p"
    "\",\"action\":\"delete\"}";
static const char CAPC_ADV_NAKED[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.nak\",\"id\":\"YkwpRiv4k90mfAxv9aJHyq\",\"time"
    "stamp\":\"2026-11-22T17:14:10.188450155Z\",\"stream\":\"S\",\"consumer\":\"p\",\"consume"
    "r_seq\":2,\"stream_seq\":2,\"deliveries\":1}";
static const char CAPC_ADV_TERMINATED[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.terminated\",\"id\":\"YkwpRiv4k90mfAxv9aJI2M\""
    ",\"timestamp\":\"2026-11-22T17:14:10.188535703Z\",\"stream\":\"S\",\"consumer\":\"p\",\""
    "consumer_seq\":3,\"stream_seq\":3,\"deliveries\":1}";
static const char CAPC_ADV_MAX_DELIVER[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.max_deliver\",\"id\":\"YkwpRiv4k90mfAxv9aJI5s"
    "\",\"timestamp\":\"2026-11-22T17:14:10.590195438Z\",\"stream\":\"S\",\"consumer\":\"p\","
    "\"stream_seq\":2,\"deliveries\":2}";
static const char CAPC_METRIC_ACK[] =
    "{\"type\":\"io.nats.jetstream.metric.v1.consumer_ack\",\"id\":\"YkwpRiv4k90mfAxv9aJHvK\""
    ",\"timestamp\":\"2026-11-22T17:14:10.188090785Z\",\"stream\":\"S\",\"consumer\":\"p\",\""
    "consumer_seq\":1,\"stream_seq\":1,\"ack_time\":43915356,\"deliveries\":1}";
static const char CAPC_DOUBLE_ACK_DOMAIN[] =
    "";
static const char CAPC_ADV_CREATED_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.consumer_action\",\"id\":\"IA2lcB0B4Y8Q0IDFJQk"
    "N6j\",\"timestamp\":\"2026-11-22T17:14:12.453329332Z\",\"stream\":\"S\",\"consumer\":\"p"
    "\",\"action\":\"create\",\"domain\":\"HUB\"}";
static const char CAPC_ADV_DELETED_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.consumer_action\",\"id\":\"IA2lcB0B4Y8Q0IDFJQk"
    "NV7\",\"timestamp\":\"2026-11-22T17:14:13.940157904Z\",\"stream\":\"S\",\"consumer\":\"p"
    "\",\"action\":\"delete\",\"domain\":\"HUB\"}";
static const char CAPC_ADV_NAKED_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.nak\",\"id\":\"IA2lcB0B4Y8Q0IDFJQkNHB\",\"time"
    "stamp\":\"2026-11-22T17:14:12.496446841Z\",\"stream\":\"S\",\"consumer\":\"p\",\"consume"
    "r_seq\":2,\"stream_seq\":2,\"deliveries\":1,\"domain\":\"HUB\"}";
static const char CAPC_ADV_TERMINATED_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.terminated\",\"id\":\"IA2lcB0B4Y8Q0IDFJQkNKf\""
    ",\"timestamp\":\"2026-11-22T17:14:12.496553762Z\",\"stream\":\"S\",\"consumer\":\"p\",\""
    "consumer_seq\":3,\"stream_seq\":3,\"deliveries\":1,\"domain\":\"HUB\"}";
static const char CAPC_ADV_MAX_DELIVER_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.advisory.v1.max_deliver\",\"id\":\"IA2lcB0B4Y8Q0IDFJQkNO9"
    "\",\"timestamp\":\"2026-11-22T17:14:12.898150602Z\",\"stream\":\"S\",\"consumer\":\"p\","
    "\"stream_seq\":2,\"deliveries\":2,\"domain\":\"HUB\"}";
static const char CAPC_METRIC_ACK_DOMAIN[] =
    "{\"type\":\"io.nats.jetstream.metric.v1.consumer_ack\",\"id\":\"IA2lcB0B4Y8Q0IDFJQkNDh\""
    ",\"timestamp\":\"2026-11-22T17:14:12.496118228Z\",\"stream\":\"S\",\"consumer\":\"p\",\""
    "consumer_seq\":1,\"stream_seq\":1,\"ack_time\":42220262,\"deliveries\":1,\"domain\":\"HU"
    "B\"}";

#endif
