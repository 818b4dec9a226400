"""Kernel performance, measured from a Jupyter client (jupyter_client), against the installed kernelspec.

Run: /usr/bin/python3 tests/jupyter/bench_kernel.py   (after `kernel install`; about two minutes)
     COURSE=0 leaves out the course run; CELLS=N runs N trivial cells instead of 1,000.

Prints a table: kernel start to kernel_info_reply, a trivial cell's round trip (execute_request to
status idle) after the first, completion (the first request and once warm), an endless loop
interrupted (time to its reply, the kernel's CPU afterwards), the kernel's memory (resident set, and
the managed heap the kernel logs with MICROGRAD_KERNEL_MEMORY) after 1,000 cells, and the whole
course executed with nbclient (run_course.py). Numbers, not pass/fail tests: the README quotes them,
with the machine's load average, printed first and last.
"""

import os
import re
import statistics
import sys
import tempfile
import time

import jupyter_client

import run_course

KERNEL = os.environ.get("KERNEL_NAME", "micrograd-csharp")
ENGINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "artifacts", "bin", "Micrograd", "debug", "Micrograd.dll")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    """User + system CPU time of a process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load():
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def interrupt_endless_loop(km, kc, pid):
    """An endless loop of the cell's own, interrupted from the client: seconds until its reply, the reply, and the
    kernel's share of a core in the 3 s before the loop (idle) and in the 3 s after the reply."""
    before = cpu_seconds(pid)
    time.sleep(3)
    idle = (cpu_seconds(pid) - before) / 3
    msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
    time.sleep(2)  # let it spin
    t = time.perf_counter()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    took = time.perf_counter() - t
    until_idle(kc, msg_id)
    before = cpu_seconds(pid)
    time.sleep(3)
    cpu = (cpu_seconds(pid) - before) / 3
    return took, reply["content"], idle, cpu


def until_idle(kc, msg_id):
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return


def execute(kc, code):
    t = time.perf_counter()
    msg_id = kc.execute(code)
    until_idle(kc, msg_id)
    while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
        pass
    return time.perf_counter() - t


def request(kc, send):
    t = time.perf_counter()
    msg_id = send()
    while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
        pass
    return time.perf_counter() - t


def main():
    rows = []
    print(load())
    km = jupyter_client.KernelManager(kernel_name=KERNEL)
    memory_log = tempfile.NamedTemporaryFile("w+", prefix="kernel-stderr-", suffix=".txt")
    env = dict(os.environ, MICROGRAD_KERNEL_MEMORY="250")
    t = time.perf_counter()
    km.start_kernel(env=env, stderr=memory_log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    start = time.perf_counter() - t
    rows.append(("kernel start to kernel_info_reply", f"{start:.2f} s", "< 3 s"))

    first_completion = request(kc, lambda: kc.complete("Console.Wr", 10))
    rows.append(("first completion (right after start; waits for the warm-up)", f"{first_completion * 1000:.0f} ms", ""))

    first_cell = execute(kc, "var x = 1;")
    trips = [execute(kc, "x = x + 1;") for _ in range(50)]
    rows.append(("first cell round trip", f"{first_cell * 1000:.0f} ms", ""))
    rows.append(("trivial cell round trip, median of 50 after the first", f"{statistics.median(trips) * 1000:.1f} ms", "< 30 ms"))

    if os.path.exists(ENGINE):
        execute(kc, f'#r "{os.path.abspath(ENGINE)}"\nusing Micrograd;\nvar v = new Value(2.0);')
    warm = [request(kc, lambda: kc.complete("Math.Sq", 7)) for _ in range(10)]
    warm += [request(kc, lambda: kc.complete("v.Back", 6)) for _ in range(10)]
    rows.append(("completion once warm, median (max) of 20", f"{statistics.median(warm) * 1000:.0f} ms ({max(warm) * 1000:.0f} ms)", "< 300 ms"))

    pid = km.provisioner.process.pid
    rows.append(("memory (RSS) after start and 52 cells", f"{rss_mb(pid):.0f} MB", ""))
    cells = int(os.environ.get("CELLS", "1000"))
    t = time.perf_counter()
    for i in range(1, cells + 1):
        execute(kc, f"var y{i} = x + {i};")
        if i % 250 == 0 or i == cells:
            rss = rss_mb(pid)
            rows.append((f"memory (RSS) after {i:,} more cells ({time.perf_counter() - t:.0f} s for them)", f"{rss:.0f} MB", "< 1 GB"))
            if rss > 6000:  # a shared machine: stop before it hurts
                rows.append(("stopped early: memory above 6 GB", "", ""))
                break
    catch_up = request(kc, lambda: kc.complete("Math.Sq", 7))
    warm_after = [request(kc, lambda: kc.complete("Math.Sq", 7)) for _ in range(5)]
    rows.append(("first completion after those cells (the editor takes them in)", f"{catch_up * 1000:.0f} ms", ""))
    rows.append(("completion after that, median of 5", f"{statistics.median(warm_after) * 1000:.0f} ms", "< 300 ms"))
    rows.append(("memory (RSS) at the end", f"{rss_mb(pid):.0f} MB", "< 1 GB"))
    time.sleep(5)  # the runtime's own background work after a burst of cells (the JIT's second tier) settles
    took, reply, idle, cpu = interrupt_endless_loop(km, kc, pid)
    rows.append(("an endless loop (`while (true) { spins++; }`) interrupted after 2 s: interrupt_request to its execute_reply", f"{took * 1000:.0f} ms ({reply['status']}, {reply.get('ename')})", "a second or two"))
    rows.append(("the kernel's CPU in the 3 s after that reply (idle in the 3 s before the loop; one core = 100 %)", f"{cpu * 100:.1f} % ({idle * 100:.1f} %)", ""))
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    memory_log.seek(0)
    for line in memory_log:
        m = re.match(r"kernel: memory after cell (\d+): managed heap (\d+) MB .*", line)
        if m:
            rows.append((f"managed heap after a full collection at cell {int(m.group(1)):,} (the kernel's log)", f"{m.group(2)} MB", ""))

    if os.environ.get("COURSE", "1") != "0":
        course, total = run_course.run_course()
        slowest = max(course, key=lambda r: r[1])
        failed = sum(len(r[3]) for r in course)
        rows.append((f"the whole course through nbclient ({len(course)} notebooks, a kernel each; slowest {slowest[0]} {slowest[1]:.1f} s; {failed} errors)", f"{total:.1f} s", "< 90 s"))

    print("| measure | measured | target |")
    print("| --- | ---: | ---: |")
    for what, value, target in rows:
        print(f"| {what} | {value} | {target} |")
    print(load())


if __name__ == "__main__":
    sys.exit(main())
