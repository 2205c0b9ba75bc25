import XCTest
final class PlaceholderModelIOTests: XCTestCase { func testNothing() {} }
