import XCTest
final class LiabilitiesTestsPlaceholder: XCTestCase { func testBuilds() {} }
