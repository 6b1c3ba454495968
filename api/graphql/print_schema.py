"""Print the GraphQL schema in SDL; `make schema` writes it to schema.graphql."""

from api.graphql.schema import schema

if __name__ == "__main__":
    print(schema.as_str())
