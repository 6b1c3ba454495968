// title: Citation subgraph for a diagnosis (for Neo4j Browser's graph view)
// description: Paths from upheld decisions in cases with a diagnosis to the guideline sections cited.
// :param diagnosis_codes => ["M54.16"]
// :param first => 50
// param first: integer >= 0
MATCH p = (c:Case)-[:HAS_DECISION]->(d:Decision {outcome: 'UPHELD'})-[:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
WHERE EXISTS { MATCH (c)-[:HAS_DIAGNOSIS {status: 'stated'}]->(:Diagnosis)-[:IS_A*0..6]->(x:Diagnosis) WHERE x.code IN $diagnosis_codes }
RETURN p
LIMIT toInteger($first)
