// componentize-js guest (world smg): a JavaScript middleware returning `modify` on both sides.
// on-request -> modify { headers-set [x-js: "<method> <path>"], headers-add [x-body-len: n],
//   headers-remove [x-drop], body-replace "from js: <body>" }.
// on-response -> modify { status 201, headers-add [x-js-response: "<status>"] }.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const middlewareOnRequest = {
  onRequest(req) {
    return {
      tag: 'modify',
      val: {
        status: undefined,
        headersSet: [{ name: 'x-js', value: `${req.method} ${req.path}` }],
        headersAdd: [{ name: 'x-body-len', value: String(req.body.length) }],
        headersRemove: ['x-drop'],
        bodyReplace: encoder.encode(`from js: ${decoder.decode(req.body)}`),
      },
    };
  },
};

export const middlewareOnResponse = {
  onResponse(res) {
    return {
      tag: 'modify',
      val: {
        status: 201,
        headersSet: [],
        headersAdd: [{ name: 'x-js-response', value: String(res.status) }],
        headersRemove: [],
        bodyReplace: undefined,
      },
    };
  },
};
