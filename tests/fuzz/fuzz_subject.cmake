# Fuzz target for subject validation, matching and the sublist.
gannet_fuzz_target(fuzz_subject ${CMAKE_CURRENT_LIST_DIR}/fuzz_subject.c gn_subject)
