/* Intrusive doubly linked list (like libuv's queue.h). Embed a struct
 * list_node in your struct and recover it with LIST_ENTRY. */
#ifndef GN_UTIL_LIST_H
#define GN_UTIL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *prev; /* previous node, or the head */
    struct list_node *next; /* next node, or the head */
};

#define LIST_ENTRY(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void list_init(struct list_node *h)
{
    h->prev = h->next = h;
}
static inline bool list_is_empty(const struct list_node *h)
{
    return h->next == h;
}
static inline void list_insert_tail(struct list_node *h, struct list_node *n)
{
    n->prev = h->prev;
    n->next = h;
    h->prev->next = n;
    h->prev = n;
}
static inline void list_remove(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}

#endif
