;; slow-init: a well-formed Sentinel guest whose start function never returns, so the module
;; hangs during instantiation. The host must cut it off at max_execution_time_ms and fail the load.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")

  (func $spin (loop $forever (br $forever)))
  (start $spin)

  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func (export "on_request_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014)))
