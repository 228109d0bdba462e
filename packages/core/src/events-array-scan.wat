;; The SIMD scanner of events-array-wasm.ts: where each entry of a request body's `events` array
;; begins and ends, as byte offsets. The body is copied to offset 0 of the memory; the caller
;; passes the offset of the array's `[`. A step reads 16 bytes: quotes, backslashes and brackets
;; become bit masks, a prefix XOR of the quote mask marks the bytes inside strings, and the
;; brackets outside strings move the depth. Steps holding a backslash, and the last bytes, go one
;; byte at a time. Assembled by packages/core/scripts/gen-wasm.ts (`npm run gen`).
(module
  (memory (export "memory") 1)
  ;; Offset just past the `]` of the array arrayEntries last read.
  (global $arrayEnd (export "arrayEnd") (mut i32) (i32.const 0))

  ;; 1 when the byte is JSON whitespace.
  (func $isSpace (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x0a)))
      (i32.or (i32.eq (local.get $c) (i32.const 0x0d)) (i32.eq (local.get $c) (i32.const 0x09)))))

  (func $skipSpace (param $i i32) (param $len i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (br_if $done (i32.eqz (call $isSpace (i32.load8_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; 1 when the 4 hex digits at $p spell a UTF-16 surrogate (D800-DFFF).
  (func $surrogateEscape (param $p i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.or (i32.load8_u (local.get $p)) (i32.const 0x20)))
    (local.set $b (i32.or (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 0x20)))
    (i32.and (i32.eq (local.get $a) (i32.const 0x64))
      (i32.or (i32.or (i32.eq (local.get $b) (i32.const 0x38)) (i32.eq (local.get $b) (i32.const 0x39)))
        (i32.and (i32.ge_u (local.get $b) (i32.const 0x61)) (i32.le_u (local.get $b) (i32.const 0x66))))))

  ;; The offset just past the object or array opening at $start, -1 when the input ends first, or
  ;; -2 when a \u escape spells a surrogate (the JavaScript scanner then decides).
  (func $containerEnd (param $start i32) (param $len i32) (result i32)
    (local $p i32) (local $stop i32) (local $depth i32) (local $ins i32) (local $c i32)
    (local $v v128) (local $quotes i32) (local $inside i32) (local $opens i32) (local $closes i32) (local $m i32) (local $b i32)
    (local.set $p (local.get $start))
    (block $exit
      (loop $block
        (br_if $exit (i32.ge_u (local.get $p) (local.get $len)))
        (if (i32.le_u (i32.add (local.get $p) (i32.const 16)) (local.get $len))
          (then
            (local.set $v (v128.load (local.get $p)))
            (if (i32.eqz (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c)))))
              (then
                ;; No backslash: strings are delimited by quotes alone. Bit i of $inside: an odd
                ;; number of quotes at or before byte i, flipped when the block starts in a string.
                (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))))
                (local.set $inside (i32.xor (local.get $quotes) (i32.shl (local.get $quotes) (i32.const 1))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 2))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 4))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 8))))
                (local.set $inside (i32.and (i32.xor (local.get $inside) (i32.mul (local.get $ins) (i32.const 0xffff))) (i32.const 0xffff)))
                (local.set $ins (i32.xor (local.get $ins) (i32.and (i32.popcnt (local.get $quotes)) (i32.const 1))))
                (local.set $opens (i32.and
                  (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x7b))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5b)))))
                  (i32.xor (local.get $inside) (i32.const 0xffff))))
                (local.set $closes (i32.and
                  (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x7d))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5d)))))
                  (i32.xor (local.get $inside) (i32.const 0xffff))))
                (local.set $m (i32.or (local.get $opens) (local.get $closes)))
                (block $bitsDone
                  (loop $bits
                    (br_if $bitsDone (i32.eqz (local.get $m)))
                    (local.set $b (i32.ctz (local.get $m)))
                    (if (i32.and (i32.shr_u (local.get $opens) (local.get $b)) (i32.const 1))
                      (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
                      (else
                        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                        (if (i32.eqz (local.get $depth)) (then (return (i32.add (i32.add (local.get $p) (local.get $b)) (i32.const 1)))))))
                    (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                    (br $bits)))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br $block)))))
        ;; A block with a backslash, or the last bytes: one byte at a time, to at least 16 bytes on.
        (local.set $stop (i32.add (local.get $p) (i32.const 16)))
        (block $scalarDone
          (loop $byte
            (br_if $scalarDone (i32.ge_u (local.get $p) (local.get $stop)))
            (br_if $exit (i32.ge_u (local.get $p) (local.get $len)))
            (local.set $c (i32.load8_u (local.get $p)))
            (if (local.get $ins)
              (then
                (if (i32.eq (local.get $c) (i32.const 0x22)) (then (local.set $ins (i32.const 0))))
                (if (i32.eq (local.get $c) (i32.const 0x5c))
                  (then
                    (if (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $len)) (then (return (i32.const -1))))
                    (if (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 0x75))
                      (then
                        (if (i32.gt_u (i32.add (local.get $p) (i32.const 6)) (local.get $len)) (then (return (i32.const -1))))
                        (if (call $surrogateEscape (i32.add (local.get $p) (i32.const 2))) (then (return (i32.const -2))))))
                    ;; The escaped byte is never a quote or backslash that counts.
                    (local.set $p (i32.add (local.get $p) (i32.const 1))))))
              (else
                (if (i32.eq (local.get $c) (i32.const 0x22)) (then (local.set $ins (i32.const 1))))
                (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
                  (then (local.set $depth (i32.add (local.get $depth) (i32.const 1)))))
                (if (i32.or (i32.eq (local.get $c) (i32.const 0x7d)) (i32.eq (local.get $c) (i32.const 0x5d)))
                  (then
                    (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                    (if (i32.eqz (local.get $depth)) (then (return (i32.add (local.get $p) (i32.const 1)))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $byte)))
        (br $block)))
    (i32.const -1))

  ;; The entries of the array whose `[` is at $open in the $len bytes at 0: their [start, end)
  ;; offsets as i32 pairs from $out, at most $max of them. Returns how many (and sets arrayEnd), -1
  ;; when the bytes end first, or -2 for what the JavaScript scanner should handle: an entry that is
  ;; not an object or array, a surrogate escape, more than $max entries, or anything unexpected.
  (func (export "arrayEntries") (param $open i32) (param $len i32) (param $out i32) (param $max i32) (result i32)
    (local $i i32) (local $count i32) (local $end i32) (local $c i32)
    (local.set $i (call $skipSpace (i32.add (local.get $open) (i32.const 1)) (local.get $len)))
    (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const -1))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x5d))
      (then (global.set $arrayEnd (i32.add (local.get $i) (i32.const 1))) (return (i32.const 0))))
    (loop $entry
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.and (i32.ne (local.get $c) (i32.const 0x7b)) (i32.ne (local.get $c) (i32.const 0x5b))) (then (return (i32.const -2))))
      (if (i32.ge_u (local.get $count) (local.get $max)) (then (return (i32.const -2))))
      (local.set $end (call $containerEnd (local.get $i) (local.get $len)))
      (if (i32.lt_s (local.get $end) (i32.const 0)) (then (return (local.get $end))))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 3))) (local.get $i))
      (i32.store (i32.add (local.get $out) (i32.add (i32.shl (local.get $count) (i32.const 3)) (i32.const 4))) (local.get $end))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $i (call $skipSpace (local.get $end) (local.get $len)))
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 0x5d))
        (then (global.set $arrayEnd (i32.add (local.get $i) (i32.const 1))) (return (local.get $count))))
      (if (i32.ne (local.get $c) (i32.const 0x2c)) (then (return (i32.const -2))))
      (local.set $i (call $skipSpace (i32.add (local.get $i) (i32.const 1)) (local.get $len)))
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const -1))))
      (br $entry))
    (i32.const -2))
)
