# Fuzz target for the protocol parser and the MSG line encoder.
gannet_fuzz_target(fuzz_proto ${CMAKE_CURRENT_LIST_DIR}/fuzz_proto.c gn_proto)
