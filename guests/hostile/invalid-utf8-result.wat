;; invalid-utf8-result: JSON whose tag holds the bytes FF FE, which are never valid UTF-8.
;; wasmgate must decode strictly and report bad-output (not pass on U+FFFD).
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\",\"tags\":[\"\ff\fe\"]}") ;; 34 bytes
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000022))) ;; (16 << 32) | 34
