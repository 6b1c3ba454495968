// title: Cases like a given case
// description: Cases sharing diagnosis categories (weight 3), treatments (2) and cited sections (1),
//   per pair, with what they share, scoring every case: the reference for similar_cases_indexed.
//   GraphQL's similarCases runs this text with exact: true.
// :param case_key => "sha256:2ab58c249e63dd54"
// :param first => 10
// param first: integer >= 0
// columns: letter_id:string, case_number:string, decision_date:string, score:int64, shared:list<string>
MATCH (c:Case) WHERE c.case_number = $case_key OR c.letter_id = $case_key
WITH c LIMIT 1
CALL (c) {
  // Two MATCH clauses: in one pattern, two cases coded alike would need the same IS_A relationships
  // twice, which a single pattern never matches, and their shared category would not count.
  MATCH (c)-[:HAS_DIAGNOSIS]->(:Diagnosis)-[:IS_A*0..4]->(x:Diagnosis {level: 'category'})
  MATCH (x)<-[:IS_A*0..4]-(:Diagnosis)<-[:HAS_DIAGNOSIS]-(o:Case)
  WHERE o <> c RETURN o, 3 AS w, x.code AS why
  UNION ALL
  MATCH (c)-[:HAS_DECISION]->(:Decision)-[:FOR_TREATMENT]->(t)<-[:FOR_TREATMENT]-(:Decision)
        <-[:HAS_DECISION]-(o:Case)
  WHERE o <> c RETURN o, 2 AS w, t.name AS why
  UNION ALL
  MATCH (c)-[:HAS_DECISION]->(:Decision)-[:CITES]->(s)<-[:CITES]-(:Decision)<-[:HAS_DECISION]-(o:Case)
  WHERE o <> c RETURN o, 1 AS w, s.name AS why
}
WITH o, sum(w) AS score, collect(DISTINCT why)[..8] AS shared
ORDER BY score DESC, o.letter_id
LIMIT toInteger($first)
RETURN o.letter_id AS letter_id, o.case_number AS case_number, o.decision_date AS decision_date, score, shared
