;; huge-initial-memory: declares 2000 initial pages (125 MiB). wasmgate must refuse the module at
;; load when that exceeds max_memory_pages, before committing any of it.
(module
  (memory (export "memory") 2000)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014)))
