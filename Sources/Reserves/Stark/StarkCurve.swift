import Hashing

/// The Stark curve y² = x³ + x + β over p = 2^251 + 17·2^192 + 1, its ECDSA verification, and the
/// Pedersen hash built on it (SPEC 4.8). Curve parameters and Pedersen points are the public
/// constants of StarkWare's specification (pedersen_params.json in starkware-libs/cairo-lang).
enum StarkCurve {
    typealias Limbs = [UInt64]

    static func hexLimbs(_ text: String) -> Limbs {
        var body = Substring(text)
        if body.hasPrefix("0x") { body = body.dropFirst(2) }
        let padded = String(repeating: "0", count: max(0, 64 - body.count)) + body
        return MontgomeryField.limbs(hex: String(padded.suffix(64)))
    }

    static let field = MontgomeryField(modulus: hexLimbs("0800000000000011000000000000000000000000000000000000000000000001"))
    static let order = MontgomeryField(modulus: hexLimbs("0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f"))
    static let beta = field.toMontgomery(hexLimbs("06f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89"))
    static let alpha = field.one

    /// A point in Jacobian coordinates (Montgomery form); z = 0 is the point at infinity.
    struct Point {
        var x: Limbs, y: Limbs, z: Limbs
        static let infinity = Point(x: [0, 0, 0, 0], y: [0, 0, 0, 0], z: [0, 0, 0, 0])
        var isInfinity: Bool { StarkCurve.field.isZero(z) }
    }

    static func affine(_ x: String, _ y: String) -> Point {
        Point(x: field.toMontgomery(hexLimbs(x)), y: field.toMontgomery(hexLimbs(y)), z: field.one)
    }

    static let generator = affine("01ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca",
                                  "005668060aa49730b7be4801df46ec62de53ecd11abe43a32873000c36e8dc1f")
    static let pedersenPoints: [Point] = [
        affine("049ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804",
               "03ca0cfe4b3bc6ddf346d49d06ea0ed34e621062c0e056c1d0405d266e10268a"),
        affine("0234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47b",
               "03b056f100f96fb21e889527d41f4e39940135dd7a6c94cc6ed0268ee89e5615"),
        affine("04fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378",
               "03fa0984c931c9e38113e0c0e47e4401562761f92a7a23b45168f4e80ff5b54d"),
        affine("04ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997",
               "0040301cf5c1751f4b971e46c4ede85fcac5c59a5ce5ae7c48151f27b24b219c"),
        affine("054302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202",
               "01b77b3e37d13504b348046268d8ae25ce98ad783c25561a879dcc77e99c2426"),
    ]

    static func double(_ p: Point) -> Point {
        if p.isInfinity || field.isZero(p.y) { return .infinity }
        let f = field
        let xx = f.mul(p.x, p.x), yy = f.mul(p.y, p.y), yyyy = f.mul(yy, yy), zz = f.mul(p.z, p.z)
        let xyy = f.mul(p.x, yy)
        let s = f.add(f.add(xyy, xyy), f.add(xyy, xyy))
        let m = f.add(f.add(f.add(xx, xx), xx), f.mul(alpha, f.mul(zz, zz)))
        let x3 = f.sub(f.mul(m, m), f.add(s, s))
        let y8 = f.add(f.add(f.add(yyyy, yyyy), f.add(yyyy, yyyy)), f.add(f.add(yyyy, yyyy), f.add(yyyy, yyyy)))
        let y3 = f.sub(f.mul(m, f.sub(s, x3)), y8)
        let yz = f.mul(p.y, p.z)
        return Point(x: x3, y: y3, z: f.add(yz, yz))
    }

    static func add(_ p: Point, _ q: Point) -> Point {
        if p.isInfinity { return q }
        if q.isInfinity { return p }
        let f = field
        let z1z1 = f.mul(p.z, p.z), z2z2 = f.mul(q.z, q.z)
        let u1 = f.mul(p.x, z2z2), u2 = f.mul(q.x, z1z1)
        let s1 = f.mul(p.y, f.mul(q.z, z2z2)), s2 = f.mul(q.y, f.mul(p.z, z1z1))
        if u1 == u2 { return s1 == s2 ? double(p) : .infinity }
        let h = f.sub(u2, u1), r = f.sub(s2, s1)
        let hh = f.mul(h, h), hhh = f.mul(hh, h), u1hh = f.mul(u1, hh)
        let x3 = f.sub(f.sub(f.mul(r, r), hhh), f.add(u1hh, u1hh))
        let y3 = f.sub(f.mul(r, f.sub(u1hh, x3)), f.mul(s1, hhh))
        return Point(x: x3, y: y3, z: f.mul(h, f.mul(p.z, q.z)))
    }

    static func multiply(_ p: Point, _ scalar: Limbs) -> Point {
        var result = Point.infinity
        for i in stride(from: 255, through: 0, by: -1) {
            result = double(result)
            if (scalar[i / 64] >> UInt64(i % 64)) & 1 == 1 { result = add(result, p) }
        }
        return result
    }

    /// Plain (non-Montgomery) affine x of a point.
    static func affineX(_ p: Point) -> Limbs? {
        guard !p.isInfinity else { return nil }
        let zi = field.inverse(p.z)
        return field.fromMontgomery(field.mul(p.x, field.mul(zi, zi)))
    }

    /// Pedersen hash of two field elements: x of shift + a_low·P1 + a_high·P2 + b_low·P3 + b_high·P4.
    static func pedersen(_ a: Limbs, _ b: Limbs) -> Limbs {
        var acc = pedersenPoints[0]
        for (index, value) in [a, b].enumerated() {
            let low: Limbs = [value[0], value[1], value[2], value[3] & 0x00FF_FFFF_FFFF_FFFF]
            let high: Limbs = [value[3] >> 56, 0, 0, 0]
            acc = add(acc, multiply(pedersenPoints[1 + 2 * index], low))
            acc = add(acc, multiply(pedersenPoints[2 + 2 * index], high))
        }
        return affineX(acc) ?? [0, 0, 0, 0]
    }

    /// Pedersen over a list: fold from 0, then hash with the length (StarkNet's hash-on-elements).
    static func pedersenArray(_ elements: [Limbs]) -> Limbs {
        var acc: Limbs = [0, 0, 0, 0]
        for e in elements { acc = pedersen(acc, e) }
        return pedersen(acc, [UInt64(elements.count), 0, 0, 0])
    }

    static func isBelow(_ a: Limbs, _ m: Limbs) -> Bool { MontgomeryField.compare(a, m) < 0 }

    /// Stark ECDSA: true when (r, s) signs `hash` for the key whose x coordinate is `keyX`
    /// (either y). All values plain big integers.
    static func verify(hash: Limbs, r: Limbs, s: Limbs, keyX: Limbs) -> Bool {
        let n = order.modulus
        let bound: Limbs = [0, 0, 0, 0x0800_0000_0000_0000]  // 2^251
        guard !order.isZero(r), !order.isZero(s), isBelow(r, bound), isBelow(s, n), isBelow(hash, bound),
              isBelow(keyX, field.modulus) else { return false }
        let xm = field.toMontgomery(keyX)
        let rhs = field.add(field.add(field.mul(xm, field.mul(xm, xm)), field.mul(alpha, xm)), beta)
        guard let ym = field.sqrt(rhs) else { return false }
        let w = order.inverse(order.toMontgomery(s))
        let u1 = order.fromMontgomery(order.mul(order.toMontgomery(hash), w))
        let u2 = order.fromMontgomery(order.mul(order.toMontgomery(r), w))
        let g = multiply(generator, u1)
        for y in [ym, field.neg(ym)] {
            let q = Point(x: xm, y: y, z: field.one)
            guard var x = affineX(add(g, multiply(q, u2))) else { continue }
            if MontgomeryField.compare(x, n) >= 0 { x = MontgomeryField.subtractWrapping(x, n).0 }
            if x == r { return true }
        }
        return false
    }
}
