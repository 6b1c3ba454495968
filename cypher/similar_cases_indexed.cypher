// title: Cases like a given case, through the vector index
// description: The same question and score as similar_cases, at a million letters: the
//   case_embedding vector index (feature-hashed diagnoses, treatments and cited sections) proposes
//   $candidates cases by cosine, and the exact weighted score (diagnosis categories 3, treatments 2,
//   cited sections 1, per pair) re-ranks them. GraphQL's similarCases runs this text.
// :param case_key => "sha256:2ab58c249e63dd54"
// :param candidates => 300
// :param first => 10
// param candidates: integer >= 0
// param first: integer >= 0
// columns: letter_id:string, case_number:string, decision_date:string, score:int64, shared:list<string>
MATCH (c:Case) WHERE c.case_number = $case_key OR c.letter_id = $case_key
WITH c LIMIT 1
WHERE c.embedding IS NOT NULL
CALL (c) {
  MATCH (c)-[a:HAS_DIAGNOSIS]->() WHERE a.category IS NOT NULL RETURN collect(a.category) AS dx
}
CALL (c) {
  MATCH (c)-[:HAS_DECISION]->()-[:FOR_TREATMENT]->(t) RETURN collect(t.name) AS treatments
}
CALL (c) {
  MATCH (c)-[:HAS_DECISION]->()-[:CITES]->(s) RETURN collect(s.name) AS sections, collect(s.key) AS section_keys
}
// The query is the case's own vector with its last component 0: cosine against the stored unit
// vectors then ranks by the hashed dot product, the exact score's estimate (graph_loader/graph/embedding.py).
CALL db.index.vector.queryNodes('case_embedding', toInteger($candidates) + 1, c.embedding[..-1] + [0.0])
YIELD node AS o
WITH c, o, dx, treatments, sections, section_keys WHERE o <> c
CALL (o) {
  MATCH (o)-[a:HAS_DIAGNOSIS]->() WHERE a.category IS NOT NULL RETURN collect(a.category) AS o_dx
}
CALL (o) {
  MATCH (o)-[:HAS_DECISION]->()-[:FOR_TREATMENT]->(t) RETURN collect(t.name) AS o_treatments
}
CALL (o) {
  MATCH (o)-[:HAS_DECISION]->()-[:CITES]->(s) RETURN collect(s.key) AS o_sections
}
WITH o,
     [x IN dx WHERE x IN o_dx] AS shared_dx, [t IN treatments WHERE t IN o_treatments] AS shared_t,
     [i IN range(0, size(section_keys) - 1) WHERE section_keys[i] IN o_sections | sections[i]] AS shared_s,
     reduce(n = 0, x IN dx | n + size([y IN o_dx WHERE y = x])) AS n_dx,
     reduce(n = 0, x IN treatments | n + size([y IN o_treatments WHERE y = x])) AS n_t,
     reduce(n = 0, x IN section_keys | n + size([y IN o_sections WHERE y = x])) AS n_s
WITH o, 3 * n_dx + 2 * n_t + n_s AS score, shared_dx + shared_t + shared_s AS why
WHERE score > 0
WITH o, score, reduce(u = [], w IN why | CASE WHEN w IN u THEN u ELSE u + w END)[..8] AS shared
ORDER BY score DESC, o.letter_id
LIMIT toInteger($first)
RETURN o.letter_id AS letter_id, o.case_number AS case_number, o.decision_date AS decision_date, score, shared
