# Fuzz target for the JetStream JSON layer (configs, requests, times, base64).
gannet_fuzz_target(fuzz_json ${CMAKE_CURRENT_LIST_DIR}/fuzz_json.c gn_jsjson)
