"""The GraphQL schema: types, root and nested fields, the request extensions."""
