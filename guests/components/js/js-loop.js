// componentize-js guest (world smg): on-request never returns (the runtime's deadline must stop it);
// on-response: continue.
export const middlewareOnRequest = {
  onRequest() {
    for (;;) {}
  },
};

export const middlewareOnResponse = {
  onResponse() {
    return { tag: 'continue' };
  },
};
