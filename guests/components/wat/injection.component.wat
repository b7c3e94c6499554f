;; A whole component in WAT (no componentNew): its core module exports a function whose name would
;; break out of the string literal jco 1.15 puts it in, and run `globalThis.__wasmgateInjected = 1`
;; when the glue is imported. The loader must refuse it before importing any glue.
(component
  (core module $m
    (func (export "x'];globalThis.__wasmgateInjected=1;//") (result i32) (i32.const 7))
  )
  (core instance $i (instantiate $m))
  (func $f (result u32) (canon lift (core func $i "x'];globalThis.__wasmgateInjected=1;//")))
  (instance $inst (export "get" (func $f)))
  (export "wasmgate:test/thing" (instance $inst))
)
