;; table-grow-bomb: grows a function table by one entry at a time, forever. Tables are host
;; memory outside max_memory_pages; wasmgate must stop the loop at the deadline (timeout) and the
;; engine's table limit must hold.
(module
  (memory (export "memory") 1)
  (table $table 1 funcref)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (loop $forever
      (drop (table.grow $table (ref.null func) (i32.const 1)))
      (br $forever))
    (unreachable)))
