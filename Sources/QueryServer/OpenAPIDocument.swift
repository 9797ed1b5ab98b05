/// The OpenAPI 3.1 description of the HTTP API (`Sources/QueryServer/openapi.json`), compiled into the binary so a
/// copied executable serves it without its source tree.
enum OpenAPIDocument {
    static var bytes: [UInt8] { PackageResources.openapi_json }
}
