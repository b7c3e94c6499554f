// componentize-js guest (world smg) that reports what the WASI sandbox gave it, in headers-set:
// x-wall-ms (Date.now), x-mono (performance.now), x-random-hex (crypto.getRandomValues, 16 bytes),
// x-math-random, x-fetch-sync (what calling fetch() did synchronously), x-fetch-previous (how the
// previous call's fetch promise settled, if the engine ran its jobs since). Also prints one line to
// stdout and one to stderr. on-response: continue.
let previousFetch = 'not-tried';

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const middlewareOnRequest = {
  onRequest(req) {
    const headers = [];
    headers.push({ name: 'x-wall-ms', value: String(Date.now()) });
    headers.push({ name: 'x-mono', value: String(performance.now()) });
    const random = new Uint8Array(16);
    crypto.getRandomValues(random);
    headers.push({ name: 'x-random-hex', value: hex(random) });
    headers.push({ name: 'x-math-random', value: String(Math.random()) });
    console.log(`probe stdout line ${req.requestId}`);
    console.error('probe stderr line');
    let fetchSync;
    try {
      const pending = fetch('http://127.0.0.1:9/denied');
      fetchSync = 'pending';
      pending.then(
        () => { previousFetch = 'resolved'; },
        (err) => { previousFetch = `rejected: ${String((err && err.message) || err)}`; },
      );
    } catch (err) {
      fetchSync = `threw: ${String((err && err.message) || err)}`;
    }
    headers.push({ name: 'x-fetch-sync', value: fetchSync });
    headers.push({ name: 'x-fetch-previous', value: previousFetch });
    return {
      tag: 'modify',
      val: { status: undefined, headersSet: headers, headersAdd: [], headersRemove: [], bodyReplace: undefined },
    };
  },
};

export const middlewareOnResponse = {
  onResponse() {
    return { tag: 'continue' };
  },
};
