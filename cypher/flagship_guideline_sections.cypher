// title: Guideline pages and sections that most often support decisions for a diagnosis
// description: The flagship question. Which guideline pages or sections does the IMR reviewer cite
//   most often when a denial is upheld for lumbar radiculopathy (ICD-10-CM M54.16, and every code
//   below a given code)? Change the codes, outcome or who cited to ask the same of anything else.
// :param diagnosis_codes => ["M54.16"]
// :param outcome => "UPHELD"
// :param cited_by => "IMR_REVIEWER"
// :param first => 20
MATCH (x:Diagnosis) WHERE x.code IN $diagnosis_codes
MATCH (x)<-[:IS_A*0..5]-(:Diagnosis)<-[:HAS_DIAGNOSIS]-(c:Case)
WITH DISTINCT c
MATCH (c)-[:HAS_DECISION]->(d:Decision)
WHERE $outcome IS NULL OR d.outcome = $outcome
MATCH (d)-[r:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
WHERE $cited_by IS NULL OR r.by = $cited_by
RETURN g.family AS family, g.title AS guideline, s.label AS section, coalesce(s.url, g.url) AS url,
       count(DISTINCT d) AS decisions
ORDER BY decisions DESC, guideline, section
LIMIT toInteger($first)
