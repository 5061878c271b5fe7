# Warning and sanitizer flags, applied to every target in the project.
add_compile_definitions(_GNU_SOURCE)  # epoll, eventfd, accept4 need it; a superset of POSIX 2008
add_compile_options(
  -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
  -Wundef -Wpointer-arith -Wvla -Wimplicit-fallthrough -Wno-unused-parameter -fno-common)
if(GANNET_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(GANNET_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(GANNET_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
