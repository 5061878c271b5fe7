# Fuzz target for file store recovery (input = one block file).
gannet_fuzz_target(fuzz_fs_recover ${CMAKE_CURRENT_LIST_DIR}/fuzz_fs_recover.c gn_store)
