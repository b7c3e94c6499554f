;; missing-alloc: exports no `alloc`, so the host cannot pass input. wasmgate must refuse the
;; module at load, naming the missing export.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func (export "on_request_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014)))
