;; huge-result: grows memory and returns a valid pointer to 20 MiB: spaces, then {"decision":"allow"}.
;; That is valid JSON; the only thing wrong is its size, over the 10 MiB default max_body_size.
;; wasmgate must refuse it by length, before copying or parsing, and report bad-output.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    ;; The result lives at 64 KiB .. 64 KiB + 20 MiB: 320 pages after the first.
    (if (i32.lt_u (memory.size) (i32.const 321))
      (then
        (if (i32.eq (memory.grow (i32.sub (i32.const 321) (memory.size))) (i32.const -1))
          (then unreachable))))
    (memory.fill (i32.const 65536) (i32.const 0x20) (i32.const 20971500)) ;; 20 MiB - 20
    (memory.copy (i32.add (i32.const 65536) (i32.const 20971500)) (i32.const 16) (i32.const 20))
    (i64.const 0x0000000000010000) ;; ptr 65536 ...
    (i64.const 32)
    (i64.shl)
    (i64.const 20971520)           ;; ... len 20 MiB
    (i64.or)))
