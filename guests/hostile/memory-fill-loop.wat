;; memory-fill-loop: grows memory to 16 MiB if it may, then fills all of it over and over. Each
;; iteration is one long bulk-memory instruction, so the loop spends almost no time on the
;; instructions a deadline check could hook. wasmgate must still stop it at the deadline (timeout).
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (drop (memory.grow (i32.const 255)))
    (loop $forever
      (memory.fill (i32.const 0) (i32.const 0xAA) (i32.shl (memory.size) (i32.const 16)))
      (br $forever))
    (unreachable)))
