import Field
import Hashing
import XCTest
@testable import Plonky2

/// Each gate's constraints vanish on a witness built independently (from base-field arithmetic,
/// Poseidon's own permutation, polynomial evaluation) and stop vanishing when one wire changes.
final class GateTests: XCTestCase {
    var rng = SplitMix(seed: 7)

    func f() -> Goldilocks { Goldilocks(reducing: rng.next()) }
    func e(_ x: Goldilocks) -> GoldilocksExt2 { GoldilocksExt2(x) }

    func vars(_ wires: [GoldilocksExt2], constants: [GoldilocksExt2] = [], hash: HashOut = .zero) -> EvaluationVars {
        EvaluationVars(localConstants: constants[...], localWires: wires, publicInputsHash: hash)
    }

    /// All constraints zero on `wires`; some non-zero once wire `tamper` changes.
    func check(_ gate: any Gate, _ wires: [GoldilocksExt2], constants: [GoldilocksExt2] = [], hash: HashOut = .zero,
               tamper: Int, file: StaticString = #filePath, line: UInt = #line) {
        let good = gate.evalUnfiltered(vars(wires, constants: constants, hash: hash))
        XCTAssertEqual(good.count, gate.numConstraints, "constraint count", file: file, line: line)
        XCTAssertTrue(good.allSatisfy(\.isZero), "satisfied witness gives zeros", file: file, line: line)
        var bad = wires
        bad[tamper] = bad[tamper] + .one
        XCTAssertFalse(gate.evalUnfiltered(vars(bad, constants: constants, hash: hash)).allSatisfy(\.isZero),
                       "a changed wire \(tamper) is caught", file: file, line: line)
    }

    func testArithmeticGate() {
        let c0 = f(), c1 = f()
        var w = [GoldilocksExt2](repeating: .zero, count: 80)
        for i in 0..<20 {
            let m0 = f(), m1 = f(), a = f()
            w[4 * i] = e(m0); w[4 * i + 1] = e(m1); w[4 * i + 2] = e(a); w[4 * i + 3] = e(c0 * m0 * m1 + c1 * a)
        }
        check(ArithmeticGate(numOps: 20), w, constants: [e(c0), e(c1)], tamper: 41)
    }

    /// Base-field values embedded in the algebra multiply like base-field values.
    func testExtensionArithmeticGates() {
        let c0 = f(), c1 = f()
        var w = [GoldilocksExt2](repeating: .zero, count: 80)
        for i in 0..<10 {
            let m0 = f(), m1 = f(), a = f()
            w[8 * i] = e(m0); w[8 * i + 2] = e(m1); w[8 * i + 4] = e(a); w[8 * i + 6] = e(c0 * m0 * m1 + c1 * a)
        }
        check(ArithmeticExtensionGate(numOps: 10), w, constants: [e(c0), e(c1)], tamper: 22)
        var m = [GoldilocksExt2](repeating: .zero, count: 78)
        for i in 0..<13 {
            let m0 = f(), m1 = f()
            m[6 * i] = e(m0); m[6 * i + 2] = e(m1); m[6 * i + 4] = e(c0 * m0 * m1)
        }
        check(MulExtensionGate(numOps: 13), m, constants: [e(c0)], tamper: 76)
        // Y² = 7: (0 + 1·Y)² = 7.
        XCTAssertEqual(ExtensionAlgebra(.zero, .one) * ExtensionAlgebra(.zero, .one), ExtensionAlgebra(e(7)))
    }

    func testBaseSumGate() {
        let n: UInt64 = 0x5DEE_CE66_D1CE_4E5B & ((1 << 63) - 1)
        var w = [e(Goldilocks(reducing: n))]
        for i in 0..<63 { w.append(e(Goldilocks(reducing: (n >> UInt64(i)) & 1))) }
        check(BaseSumGate(numLimbs: 63, base: 2), w, tamper: 5)
        var two = w
        two[3] = e(2)  // not a bit
        XCTAssertFalse(BaseSumGate(numLimbs: 63, base: 2).evalUnfiltered(vars(two)).allSatisfy(\.isZero))
    }

    func testExponentiationGate() {
        let bits = 66, base = f(), power: UInt64 = 0xB7E1_5162_8AED_2A6B
        var w = [GoldilocksExt2](repeating: .zero, count: 2 + 2 * bits)
        w[0] = e(base)
        // Bit i of the power (the top two bits of the 66 are zero).
        for i in 0..<bits { w[1 + i] = e(i < 64 ? Goldilocks(reducing: (power >> UInt64(i)) & 1) : .zero) }
        var acc = Goldilocks.one
        for i in 0..<bits {
            let bitIndex = bits - 1 - i
            let bit = bitIndex < 64 ? (power >> UInt64(bitIndex)) & 1 : 0
            acc = acc.square() * (bit == 1 ? base : .one)
            w[2 + bits + i] = e(acc)
        }
        w[1 + bits] = e(base.power(power))
        check(ExponentiationGate(numPowerBits: bits), w, tamper: 1 + bits)
    }

    func testReducingGates() {
        let alpha = f(), old = f()
        let n = 43
        let coeffs = (0..<n).map { _ in f() }
        var w = [GoldilocksExt2](repeating: .zero, count: 6 + n + 2 * (n - 1))
        w[2] = e(alpha); w[4] = e(old)
        var acc = old
        for i in 0..<n {
            w[6 + i] = e(coeffs[i])
            acc = acc * alpha + coeffs[i]
            let slot = i == n - 1 ? 0 : 6 + n + 2 * i
            w[slot] = e(acc)
        }
        check(ReducingGate(numCoeffs: n), w, tamper: 6 + 7)
        // Horner: the output is Σ coeffᵢ·α^(n−1−i) + old·αⁿ.
        var expected = old * alpha.power(UInt64(n))
        for (i, c) in coeffs.enumerated() { expected += c * alpha.power(UInt64(n - 1 - i)) }
        XCTAssertEqual(w[0], e(expected))

        let m = 32
        var x = [GoldilocksExt2](repeating: .zero, count: 6 + 2 * m + 2 * (m - 1))
        x[2] = e(alpha); x[4] = e(old)
        acc = old
        for i in 0..<m {
            let c = f()
            x[6 + 2 * i] = e(c)
            acc = acc * alpha + c
            x[i == m - 1 ? 0 : 6 + 2 * m + 2 * i] = e(acc)
        }
        check(ReducingExtensionGate(numCoeffs: m), x, tamper: 0)
    }

    func testRandomAccessGate() {
        for (bits, copies, extra) in [(1, 20, 0), (4, 4, 2)] {
            let size = 1 << bits
            let routed = (2 + size) * copies + extra
            var w = [GoldilocksExt2](repeating: .zero, count: routed + copies * bits)
            var constants = [GoldilocksExt2]()
            for copy in 0..<copies {
                let items = (0..<size).map { _ in f() }
                let index = Int(rng.next() % UInt64(size))
                w[(2 + size) * copy] = e(Goldilocks(reducing: UInt64(index)))
                w[(2 + size) * copy + 1] = e(items[index])
                for i in 0..<size { w[(2 + size) * copy + 2 + i] = e(items[i]) }
                for b in 0..<bits { w[routed + copy * bits + b] = e(Goldilocks(reducing: UInt64((index >> b) & 1))) }
            }
            for i in 0..<extra {
                let c = f()
                constants.append(e(c))
                w[(2 + size) * copies + i] = e(c)
            }
            check(RandomAccessGate(bits: bits, numCopies: copies, numExtraConstants: extra), w, constants: constants, tamper: 1)
        }
    }

    func testPoseidonGates() {
        // MDS gate: outputs are the MDS layer of the inputs, computed here from its definition.
        let input = (0..<12).map { _ in f() }
        var w = [GoldilocksExt2](repeating: .zero, count: 48)
        for i in 0..<12 { w[2 * i] = e(input[i]) }
        for r in 0..<12 {
            var acc = input[r] * Goldilocks(reducing: Poseidon.mdsDiagonal[r])
            for i in 0..<12 { acc += input[(i + r) % 12] * Goldilocks(reducing: Poseidon.mdsCirculant[i]) }
            w[2 * (12 + r)] = e(acc)
        }
        check(PoseidonMdsGate(), w, tamper: 30)

        // Poseidon gate: the witness a prover fills in, from the permutation run round by round;
        // the outputs must be Poseidon's own permutation of the inputs.
        var state = (0..<12).map { _ in f() }
        let inputs = state
        var p = [GoldilocksExt2](repeating: .zero, count: PoseidonGate.startFull1 + 48)
        for i in 0..<12 { p[i] = e(inputs[i]) }
        func mds(_ s: [Goldilocks]) -> [Goldilocks] {
            (0..<12).map { r in
                var acc = s[r] * Goldilocks(reducing: Poseidon.mdsDiagonal[r])
                for i in 0..<12 { acc += s[(i + r) % 12] * Goldilocks(reducing: Poseidon.mdsCirculant[i]) }
                return acc
            }
        }
        func add(_ round: Int) { for i in 0..<12 { state[i] += Goldilocks(reducing: Poseidon.roundConstants[round * 12 + i]) } }
        func sbox(_ x: Goldilocks) -> Goldilocks { x.power(7) }
        var round = 0
        for r in 0..<4 {
            add(round)
            if r > 0 { for i in 0..<12 { p[PoseidonGate.startFull0 + 12 * (r - 1) + i] = e(state[i]) } }
            state = state.map(sbox); state = mds(state); round += 1
        }
        for r in 0..<22 {
            add(round)
            p[PoseidonGate.startPartial + r] = e(state[0])
            state[0] = sbox(state[0]); state = mds(state); round += 1
        }
        for r in 0..<4 {
            add(round)
            for i in 0..<12 { p[PoseidonGate.startFull1 + 12 * r + i] = e(state[i]) }
            state = state.map(sbox); state = mds(state); round += 1
        }
        var reference = inputs
        Poseidon.permute(&reference)
        XCTAssertEqual(state, reference)
        for i in 0..<12 { p[12 + i] = e(reference[i]) }
        check(PoseidonGate(), p, tamper: PoseidonGate.startPartial + 9)
        // Swapping: with swap = 1 the two halves of the input exchange places.
        var swapped = p
        swapped[PoseidonGate.wireSwap] = .one
        for i in 0..<4 {
            swapped[i] = e(inputs[i + 4]); swapped[i + 4] = e(inputs[i])
            swapped[PoseidonGate.startDelta + i] = e(inputs[i] - inputs[i + 4])
        }
        XCTAssertTrue(PoseidonGate().evalUnfiltered(vars(swapped)).allSatisfy(\.isZero))
    }

    func testLowDegreeInterpolationGate() {
        let gate = LowDegreeInterpolationGate(subgroupBits: 4)
        let n = 16
        let coeffs = (0..<n).map { _ in f() }
        func poly(_ x: Goldilocks) -> Goldilocks { coeffs.reversed().reduce(.zero) { $0 * x + $1 } }
        let shift = f(), point = f()
        var w = [GoldilocksExt2](repeating: .zero, count: gate.powerOfPointWire(n - 1) + 2)
        w[0] = e(shift)
        let g = Goldilocks.primitiveRootOfUnity(bits: 4)
        for i in 0..<n { w[gate.startValues + 2 * i] = e(poly(shift * g.power(UInt64(i)))) }
        w[gate.startEvaluationPoint] = e(point)
        w[gate.startEvaluationValue] = e(poly(point))
        for i in 0..<n { w[gate.startCoeffs + 2 * i] = e(coeffs[i]) }
        for i in 2..<n {
            w[gate.powerOfShiftWire(i)] = e(shift.power(UInt64(i)))
            w[gate.powerOfPointWire(i)] = e(point.power(UInt64(i)))
        }
        check(gate, w, tamper: gate.startEvaluationValue)
    }

    /// The barycentric recurrence, with its intermediates written from the explicit products and
    /// the value from evaluating the polynomial itself, for several degree bounds.
    func testCosetInterpolationGate() {
        let bits = 4, n = 16
        let g = Goldilocks.primitiveRootOfUnity(bits: bits)
        let xs = (0..<n).map { g.power(UInt64($0)) }
        // Weights from their definition, 1/∏_{j≠i}(xᵢ − xⱼ).
        let weights = (0..<n).map { i in (0..<n).filter { $0 != i }.reduce(Goldilocks.one) { $0 * (xs[i] - xs[$1]) }.inverse() }
        XCTAssertEqual(CosetInterpolationGate.subgroupWeights(bits: bits), weights)

        let coeffs = (0..<n).map { _ in f() }
        func poly(_ x: Goldilocks) -> Goldilocks { coeffs.reversed().reduce(.zero) { $0 * x + $1 } }
        let shift = f(), point = f()
        let shifted = point * shift.inverse()
        // After the first k points: e = Σ_{i<k} wᵢvᵢ∏_{j<k, j≠i}(z' − xⱼ), p = ∏_{j<k}(z' − xⱼ).
        func partial(_ k: Int, values: [Goldilocks]) -> (Goldilocks, Goldilocks) {
            let e = (0..<k).reduce(Goldilocks.zero) { sum, i in
                sum + weights[i] * values[i] * (0..<k).filter { $0 != i }.reduce(Goldilocks.one) { $0 * (shifted - xs[$1]) }
            }
            return (e, (0..<k).reduce(Goldilocks.one) { $0 * (shifted - xs[$1]) })
        }
        for degree in [2, 6, 16] {
            let gate = CosetInterpolationGate(subgroupBits: bits, degree: degree, weights: weights)
            let values = xs.map { poly(shift * $0) }
            var w = [GoldilocksExt2](repeating: .zero, count: gate.endWires)
            w[0] = e(shift)
            for i in 0..<n { w[gate.startValues + 2 * i] = e(values[i]) }
            w[gate.startEvaluationPoint] = e(point)
            w[gate.startEvaluationValue] = e(poly(point))
            w[gate.shiftedPointWire] = e(shifted)
            for i in 0..<gate.numIntermediates {
                let (eval, prod) = partial(degree + (degree - 1) * i, values: values)
                w[gate.intermediateEvalWire(i)] = e(eval)
                w[gate.intermediateProdWire(i)] = e(prod)
            }
            check(gate, w, tamper: gate.startEvaluationValue)
            check(gate, w, tamper: gate.startValues + 2 * (n - 1))
            if gate.numIntermediates > 0 { check(gate, w, tamper: gate.intermediateProdWire(0)) }
        }
        // Weights other than the subgroup's are refused before any evaluation.
        var wrong = weights
        wrong[3] = wrong[3] + .one
        XCTAssertNotNil(gateRequirements(.cosetInterpolation(subgroupBits: bits, degree: 6, barycentricWeights: wrong)).problem)
        XCTAssertNil(gateRequirements(.cosetInterpolation(subgroupBits: bits, degree: 6, barycentricWeights: weights)).problem)
        XCTAssertNotNil(gateRequirements(.cosetInterpolation(subgroupBits: bits, degree: 1, barycentricWeights: weights)).problem)
    }

    func testPublicInputGateAndFilters() {
        let hash = HashOut(f(), f(), f(), f())
        check(PublicInputGate(), hash.elements.map { e($0) }, hash: hash, tamper: 2)
        // The filter vanishes on every other gate's row of the group and on unused rows.
        for other in [0, 2, 3] {
            XCTAssertTrue(VanishingPolynomial.filter(row: 1, group: 0..<4, selector: e(Goldilocks(reducing: UInt64(other))), manySelectors: true).isZero)
        }
        XCTAssertTrue(VanishingPolynomial.filter(row: 1, group: 0..<4, selector: e(Goldilocks(reducing: 0xFFFF_FFFF)), manySelectors: true).isZero)
        // (0 − 1)(2 − 1)(3 − 1)(2^32 − 1 − 1) on its own row.
        XCTAssertEqual(VanishingPolynomial.filter(row: 1, group: 0..<4, selector: .one, manySelectors: true),
                       e(-Goldilocks.one * 2 * Goldilocks(reducing: 0xFFFF_FFFE)))
    }

    func testPartialProductsAndLagrange() {
        // Numerators 1…16, denominators 2…17 in chunks of 8: Z·Π(chunk) = next·Π(chunk).
        let nums = (1...16).map { e(Goldilocks(reducing: UInt64($0))) }
        let dens = (2...17).map { e(Goldilocks(reducing: UInt64($0))) }
        let z = e(f())
        let p1 = z * nums[0..<8].reduce(.one, *) * dens[0..<8].reduce(.one, *).inverse()
        let zNext = p1 * nums[8..<16].reduce(.one, *) * dens[8..<16].reduce(.one, *).inverse()
        let checks = VanishingPolynomial.checkPartialProducts(numerators: nums, denominators: dens, partials: [p1], z: z, zNext: zNext, maxDegree: 8)
        XCTAssertEqual(checks.count, 2)
        XCTAssertTrue(checks.allSatisfy(\.isZero))
        XCTAssertFalse(VanishingPolynomial.checkPartialProducts(numerators: nums, denominators: dens, partials: [p1 + .one], z: z, zNext: zNext, maxDegree: 8).allSatisfy(\.isZero))
        // L₀ is 1 at 1 and 0 on the rest of the subgroup.
        let omega = e(Goldilocks.primitiveRootOfUnity(bits: 3))
        XCTAssertEqual(VanishingPolynomial.lagrangeFirst(n: 8, x: .one), .one)
        XCTAssertTrue(VanishingPolynomial.lagrangeFirst(n: 8, x: omega).isZero)
    }
}
