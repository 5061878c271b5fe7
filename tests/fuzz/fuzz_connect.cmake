# Fuzz target for CONNECT JSON decoding (jansson plus the UTF-8 repair pass).
gannet_fuzz_target(fuzz_connect ${CMAKE_CURRENT_LIST_DIR}/fuzz_connect.c gn_proto)
