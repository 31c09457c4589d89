/* heartbeat.c: the Jupyter kernel's heartbeat (build/libnnlua_kernel.so).
 * A REP socket on its own thread echoes every ping, so a cell that runs for
 * an hour (the Lua state busy in a training loop) never looks like a dead
 * kernel to the frontend. The same thread watches the parent process: when
 * the process that started the kernel goes away (we are re-parented), the
 * kernel exits instead of living on as an orphan.
 *
 * libzmq5 ships without a development header in Debian's runtime package,
 * so the few functions used are declared here (the ABI of libzmq 4.x). The
 * socket lives in the context the Lua side created (one libzmq in the
 * process: the FFI's ffi.load and this library's link resolve to it). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef struct { unsigned char _[64]; } __attribute__((aligned(8))) zmq_msg_t;
typedef struct { void *socket; int fd; short events; short revents; } zmq_pollitem_t;
void *zmq_socket(void *ctx, int type);
int zmq_close(void *s);
int zmq_bind(void *s, const char *addr);
int zmq_setsockopt(void *s, int opt, const void *val, size_t len);
int zmq_msg_init(zmq_msg_t *m);
int zmq_msg_recv(zmq_msg_t *m, void *s, int flags);
int zmq_msg_send(zmq_msg_t *m, void *s, int flags);
int zmq_msg_more(const zmq_msg_t *m);
int zmq_msg_close(zmq_msg_t *m);
int zmq_poll(zmq_pollitem_t *items, int n, long timeout);
int zmq_errno(void);
const char *zmq_strerror(int err);

enum { ZMQ_REP_ = 4, ZMQ_SNDMORE_ = 2, ZMQ_LINGER_ = 17, ZMQ_POLLIN_ = 1 };

static pthread_t hb_thread;
static void *hb_socket;
static volatile int hb_stop;
static int hb_running;
static pid_t hb_parent;
static char hb_error[256];

/* Echoes one multipart message; returns 0, or -1 when the socket failed. */
static int echo(void *s) {
   for (;;) {
      zmq_msg_t m;
      zmq_msg_init(&m);
      if (zmq_msg_recv(&m, s, 0) < 0) { zmq_msg_close(&m); return errno == EINTR ? 0 : -1; }
      int more = zmq_msg_more(&m);
      if (zmq_msg_send(&m, s, more ? ZMQ_SNDMORE_ : 0) < 0) { zmq_msg_close(&m); return -1; }
      if (!more) return 0;
   }
}

static void *hb_main(void *arg) {
   (void)arg;
   zmq_pollitem_t item = { hb_socket, 0, ZMQ_POLLIN_, 0 };
   while (!hb_stop) {
      /* 100 ms: the stop flag and the parent are looked at ten times a second */
      int n = zmq_poll(&item, 1, 100);
      if (hb_parent > 1 && getppid() != hb_parent) {
         fprintf(stderr, "nnlua kernel: the parent process (%d) went away; exiting\n", (int)hb_parent);
         _exit(0);
      }
      if (n > 0 && (item.revents & ZMQ_POLLIN_) && echo(hb_socket) < 0) break;
   }
   return NULL;
}

/* Binds a REP socket at endpoint in the zmq context ctx and starts the
 * thread that answers on it. watch_parent: exit when the parent process
 * goes away. Returns 0, or -1 with a message for nl_kernel_heartbeat_error. */
EXPORT int nl_kernel_heartbeat_start(void *ctx, const char *endpoint, int watch_parent) {
   if (hb_running) { snprintf(hb_error, sizeof hb_error, "heartbeat: already running"); return -1; }
   hb_socket = zmq_socket(ctx, ZMQ_REP_);
   if (!hb_socket) {
      snprintf(hb_error, sizeof hb_error, "heartbeat: zmq_socket: %s", zmq_strerror(zmq_errno()));
      return -1;
   }
   int linger = 0;
   zmq_setsockopt(hb_socket, ZMQ_LINGER_, &linger, sizeof linger);
   if (zmq_bind(hb_socket, endpoint) != 0) {
      snprintf(hb_error, sizeof hb_error, "heartbeat: cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
      zmq_close(hb_socket);
      hb_socket = NULL;
      return -1;
   }
   hb_parent = watch_parent ? getppid() : 0;
   hb_stop = 0;
   /* signals (SIGINT from the frontend's interrupt) go to the Lua thread,
    * whose handler arms the interrupt hook: the new thread blocks them all */
   sigset_t all, old;
   sigfillset(&all);
   pthread_sigmask(SIG_SETMASK, &all, &old);
   int rc = pthread_create(&hb_thread, NULL, hb_main, NULL);
   pthread_sigmask(SIG_SETMASK, &old, NULL);
   if (rc != 0) {
      snprintf(hb_error, sizeof hb_error, "heartbeat: cannot start a thread: %s", strerror(rc));
      zmq_close(hb_socket);
      hb_socket = NULL;
      return -1;
   }
   hb_running = 1;
   return 0;
}

/* Stops the thread and closes its socket (before zmq_ctx_term). */
EXPORT int nl_kernel_heartbeat_stop(void) {
   if (!hb_running) return 0;
   hb_stop = 1;
   pthread_join(hb_thread, NULL);
   zmq_close(hb_socket);
   hb_socket = NULL;
   hb_running = 0;
   return 0;
}

EXPORT const char *nl_kernel_heartbeat_error(void) { return hb_error; }
