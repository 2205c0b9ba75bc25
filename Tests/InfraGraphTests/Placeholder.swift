import XCTest
final class PlaceholderInfraGraphTests: XCTestCase { func testNothing() {} }
