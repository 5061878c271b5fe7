# Fuzz target for the consumer half of the JetStream JSON layer (configs,
# create requests and subjects, pull requests, ack bodies and subjects).
gannet_fuzz_target(fuzz_consumer_json ${CMAKE_CURRENT_LIST_DIR}/fuzz_consumer_json.c gn_jsjson)
