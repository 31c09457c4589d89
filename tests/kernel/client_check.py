"""Drives the nnlua kernel with Debian's jupyter_client (a real client) and
prints one JSON object of what came back, for tests/kernel/kernel_spec.lua
to assert. Usage: client_check.py KERNEL_NAME (kernelspecs found through
JUPYTER_PATH, set by the spec)."""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

name = sys.argv[1]
out = {}


def collect(kc, msg_id, timeout=20):
    """The iopub messages of one request, up to its idle status."""
    msgs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        except Exception:
            break
        if m['parent_header'].get('msg_id') != msg_id:
            continue
        if m['msg_type'] == 'status':
            if m['content']['execution_state'] == 'idle':
                break
            continue
        msgs.append({'type': m['msg_type'], 'content': m['content']})
    return msgs


def reply_to(kc, msg_id, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = kc.get_shell_msg(timeout=max(0.05, deadline - time.time()))
        if r['parent_header'].get('msg_id') == msg_id:
            return r
    raise RuntimeError('no reply to ' + msg_id)


def run(kc, code, **kw):
    msg_id = kc.execute(code, **kw)
    r = reply_to(kc, msg_id)
    return {'reply': r['content'], 'iopub': collect(kc, msg_id)}


t0 = time.time()
km = KernelManager(kernel_name=name)
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
out['start_s'] = time.time() - t0

msg_id = kc.kernel_info()
out['kernel_info'] = reply_to(kc, msg_id)['content']
collect(kc, msg_id)

cells = {}
cells['stream'] = run(kc, 'x = 40 + 2\nprint("hello", x)\nio.write("a", 1, "\\n")\nio.stderr:write("warn\\n")')
cells['result'] = run(kc, 'x')
cells['tensor'] = run(kc, 'torch.Tensor({1, 2, 3})')
cells['table'] = run(kc, 't = {a = 1, b = "s"}\nt')
cells['quiet'] = run(kc, 'q = torch.Tensor(2)\nq:fill(1);')
cells['error'] = run(kc, 'local y = 1\nerror("boom")')
cells['syntax'] = run(kc, 'x = = 1')
cells['define_f'] = run(kc, 'function f()\n  error("inner")\nend')
cells['call_f'] = run(kc, 'f()')
cells['module_error'] = run(kc, 'require "nn"\nm = nn.Linear(3, 2)\nm:forward(torch.Tensor(5))')
cells['after_error'] = run(kc, 'x + 1')
cells['silent'] = run(kc, 'z = 5', silent=True)
cells['after_silent'] = run(kc, 'z')
cells['nohistory'] = run(kc, 'z + 2', store_history=False)
cells['display'] = run(kc, "require('nnlua.display').show({['image/png'] = '\\137PNG\\r\\n', ['text/plain'] = 'a picture'}, {width = 3})")
cells['bounded'] = run(kc, 'line = string.rep("x", 99) .. "\\n"\nfor i = 1, 100000 do io.write(line) end\nprint("still here")')
cells['after_bounded'] = run(kc, 'print("next cell")')
# many short lines: few messages, none lost (the idle status included)
cells['many_lines'] = run(kc, 'for i = 1, 2000 do print(i) end')
cells['many_images'] = run(kc, "for i = 1, 1500 do require('nnlua.display').show({['text/plain'] = 'p' .. i}) end")
cells['help'] = run(kc, '?torch.randn')
cells['sys_clock'] = run(kc, 'sys.clock() > 1e9 and xlua ~= nil')
cells['print_table'] = run(kc, 'print({1, "a"})\nsetprintlevel(0)\nprint({})\nsetprintlevel(5)')
cells['utf8'] = run(kc, 'print("caf\\195\\169 \\255")')

# stop_on_error: a request queued behind a failing cell is aborted
first = kc.execute('local t = os.clock() while os.clock() - t < 0.3 do end\nerror("stop")')
second = kc.execute('queued = "ran"')
cells['stop_first'] = {'reply': reply_to(kc, first)['content'], 'iopub': collect(kc, first)}
cells['stop_second'] = {'reply': reply_to(kc, second)['content'], 'iopub': collect(kc, second)}
cells['after_stop'] = run(kc, 'queued == nil')
first = kc.execute('error("go on")', stop_on_error=False)
second = kc.execute('queued = "ran"')
cells['nostop_first'] = {'reply': reply_to(kc, first)['content'], 'iopub': collect(kc, first)}
cells['nostop_second'] = {'reply': reply_to(kc, second)['content'], 'iopub': collect(kc, second)}
cells['after_nostop'] = run(kc, 'queued')

# io.read through input_request
msg_id = kc.execute('s = io.read()\nprint("got " .. s)', allow_stdin=True)
req = kc.get_stdin_msg(timeout=20)
out['input_request'] = {'type': req['msg_type'], 'content': req['content']}
kc.input('typed words')
cells['input'] = {'reply': reply_to(kc, msg_id)['content'], 'iopub': collect(kc, msg_id)}
cells['noinput'] = run(kc, 'io.read()', allow_stdin=False)

# completion, inspection, is_complete
def shell(method, *a, **kw):
    mid = getattr(kc, method)(*a, **kw)
    r = reply_to(kc, mid)['content']
    collect(kc, mid)
    return r

out['complete'] = shell('complete', 'a = torch.Te', 12)
out['complete_method'] = shell('complete', 'tt = torch.Tensor(2)\ntt:resiz', 29)
cells['for_complete'] = run(kc, 'tt = torch.Tensor(2)')
out['complete_method'] = shell('complete', 'tt:resiz', 8)
out['complete_global'] = shell('complete', 'xyzzy_none', 10)
out['inspect'] = shell('inspect', 'torch.randn(3)', 8)
out['inspect_value'] = shell('inspect', 'x', 1)
out['inspect_none'] = shell('inspect', 'nothing_here', 5)
out['is_complete'] = {c: shell('is_complete', c) for c in
                      ['for i = 1, 3 do', 'x = 1', 'x = = 1', 'f(', 'x + 1']}

# a forged message (signed with another key) and garbage frames are dropped
forger = Session(key=b'not-the-key')
forger.send(kc.shell_channel.socket, 'execute_request',
            {'code': 'forged = 1', 'silent': False, 'store_history': True, 'user_expressions': {},
             'allow_stdin': False, 'stop_on_error': True})
frames = [b'{not json', b'{}', b'{}', b'{}']
sig = hmac.new(km.session.key, b''.join(frames), hashlib.sha256).hexdigest().encode()
kc.shell_channel.socket.send_multipart([b'<IDS|MSG>', sig] + frames)
kc.shell_channel.socket.send_multipart([b'garbage'])
time.sleep(0.3)
cells['after_forged'] = run(kc, 'forged == nil and "untouched" or "forged ran"')

# round trip of an empty cell
times = []
for _ in range(20):
    t = time.time()
    run(kc, '')
    times.append(time.time() - t)
out['empty_cell_s'] = sorted(times)[len(times) // 2]

# an interrupt between cells has nothing to stop and must not kill the kernel
km.interrupt_kernel()
time.sleep(0.2)
cells['after_idle_interrupt'] = run(kc, 'x')


def ping(port):
    """One heartbeat round trip (bytes echoed) within a second, or None."""
    import zmq
    s = zmq.Context.instance().socket(zmq.REQ)
    s.setsockopt(zmq.LINGER, 0)
    s.connect('tcp://%s:%d' % (km.ip, port))
    s.send(b'ping-nnlua')
    got = s.recv() if s.poll(1000) else None
    s.close()
    return got.decode() if got else None


# interrupt: a loop that never ends (the heartbeat answers meanwhile), then
# the state lives on
msg_id = kc.execute('while true do end')
time.sleep(0.5)
out['heartbeat_during_loop'] = ping(km.hb_port)
t = time.time()
km.interrupt_kernel()
cells['interrupted'] = {'reply': reply_to(kc, msg_id)['content'], 'iopub': collect(kc, msg_id)}
out['interrupt_s'] = time.time() - t
cells['after_interrupt'] = run(kc, 'x')
cells['count'] = run(kc, '1')

# restart: a new process, fresh state
pid = km.provisioner.process.pid if km.provisioner else None
t = time.time()
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
out['restart_s'] = time.time() - t
out['restart_new_pid'] = (km.provisioner.process.pid != pid) if km.provisioner else None
cells['after_restart'] = run(kc, 'x == nil')

t = time.time()
kc.stop_channels()
km.shutdown_kernel(now=False)
out['shutdown_s'] = time.time() - t
out['alive_after_shutdown'] = km.is_alive()

# the kernel exits when its parent goes away without shutting it down:
# a shell starts it in the background, waits half a second, and exits
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager
argv = KernelSpecManager().get_kernel_spec(name).argv
rundir = os.environ.get('JUPYTER_RUNTIME_DIR', '/tmp')
os.makedirs(rundir, exist_ok=True)
cf, _ = write_connection_file(os.path.join(rundir, 'orphan.json'),
                              key=b'orphan-key')
env = dict(os.environ, **(KernelSpecManager().get_kernel_spec(name).env or {}))
child = subprocess.run(['sh', '-c', '"$0" --kernel "$1" </dev/null >/dev/null 2>&1 & echo $!; sleep 0.5; kill -0 $! && echo alive', argv[0], cf],
                       capture_output=True, text=True, timeout=60, env=env)
words = child.stdout.split()
orphan = int(words[0])
out['orphan_alive_before'] = words[1:] == ['alive']
gone = None
t = time.time()
while time.time() - t < 5:
    if not os.path.exists('/proc/%d' % orphan) or open('/proc/%d/stat' % orphan).read().split()[2] == 'Z':
        gone = time.time() - t
        break
    time.sleep(0.02)
out['orphan_exit_s'] = gone

out['cells'] = cells
print(json.dumps(out))
