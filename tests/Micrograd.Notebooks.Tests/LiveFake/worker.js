// A stand-in for the .NET WebAssembly worker (src/Micrograd.Browser/PROTOCOL.md), for the page side's browser tests:
// it obeys the contract's messages but runs no C#. What a "cell" does is read from its code:
//   while (true)   loops until the page's interrupt flag is set (status "interrupted"), or for ever without one
//   // stuck       loops for ever, whatever the flag says (code stuck in a library call)
//   throw          fails: done with status "error" and the cell's name and line 1 in the error
//   display(       a display with an id, updated 300 ms later with the word "updated" (from the next message loop turn)
//   anything else  prints "ran <name>: session run <k>" (k counts the runs of this worker: a new session starts at 1)
//                  and shows the code's text as the trailing value
let flag = null, runs = 0, files = [];
const queue = [];
let busy = false;

self.onmessage = async e => {
  const m = e.data;
  if (m.type === 'init') {
    flag = m.interrupt ? new Int32Array(m.interrupt) : null;
    files = m.files;
    for (const f of files) {
      const response = await fetch(new URL(f.url, m.base));
      if (!response.ok) { self.postMessage({ type: 'fatal', message: `${f.url}: ${response.status}` }); return; }
    }
    const total = 3 * 1048576;
    for (let loaded = 0; loaded <= total; loaded += 1048576) {
      self.postMessage({ type: 'progress', loaded, total, text: 'loading the compiler…' });
      await new Promise(r => setTimeout(r, 150));
    }
    self.postMessage({ type: 'ready' });
    return;
  }
  if (m.type === 'run') {
    queue.push(m);
    if (!busy) next();
  }
};

function next() {
  const m = queue.shift();
  if (!m) { busy = false; return; }
  busy = true;
  if (flag) Atomics.store(flag, 0, 0);
  const started = performance.now();
  const done = (status, error) => {
    self.postMessage({ type: 'done', id: m.id, status, error, ms: performance.now() - started });
    setTimeout(next, 0);
  };
  runs++;
  if (m.code.includes('// stuck')) for (;;) { }
  if (m.code.includes('while (true)')) {
    for (;;) {
      if (flag && Atomics.load(flag, 0) === 1) return done('interrupted', { ename: 'Interrupted', evalue: `${m.name}:line 1: interrupted` });
    }
  }
  if (m.code.includes('throw')) return done('error', { ename: 'Exception', evalue: `${m.name}:line 1: Exception: boom` });
  self.postMessage({ type: 'output', id: m.id, output: { kind: 'stream', name: 'stdout', text: `ran ${m.name}: ` } });
  self.postMessage({ type: 'output', id: m.id, output: { kind: 'stream', name: 'stdout', text: `session run ${runs}\n` } });
  if (m.code.includes('display(')) {
    const displayId = 'display-' + m.id;
    self.postMessage({ type: 'output', id: m.id, output: { kind: 'display', displayId, data: { 'text/html': '<b class="shown">shown</b>', 'text/plain': 'shown' }, result: false } });
    setTimeout(() => self.postMessage({ type: 'update', displayId, data: { 'text/html': '<b class="shown">updated</b>', 'text/plain': 'updated' } }), 300);
  }
  self.postMessage({ type: 'output', id: m.id, output: { kind: 'display', displayId: 'result-' + m.id, data: { 'text/plain': m.code }, result: true } });
  done('ok', null);
}
