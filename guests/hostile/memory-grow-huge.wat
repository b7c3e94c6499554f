;; memory-grow-huge: declares a maximum of 65536 pages (4 GiB) and asks for 60000 at once.
;; wasmgate caps memory at max_memory_pages whatever the module declares, so the grow returns -1;
;; the guest then answers block (status 507) instead of allow. A host that let the grow through
;; would see allow (and 3.75 GiB committed).
(module
  (memory (export "memory") 1 65536)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (data (i32.const 64) "{\"decision\":\"block\",\"status\":507,\"body\":\"memory.grow(60000) refused\"}")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (if (result i64) (i32.eq (memory.grow (i32.const 60000)) (i32.const -1))
      (then (i64.const 0x0000004000000045)) ;; (64 << 32) | 69: block
      (else (i64.const 0x0000001000000014))))) ;; (16 << 32) | 20: allow
