;; import-unknown: imports env.system, which wasmgate does not provide. wasmgate must refuse the
;; module at load with an error naming the import, and never instantiate it.
(module
  (import "env" "system" (func $system (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (data (i32.const 64) "rm -rf /\00")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (drop (call $system (i32.const 64)))
    (i64.const 0x0000001000000014)))
