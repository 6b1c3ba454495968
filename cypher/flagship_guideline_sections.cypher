// title: Guideline pages and sections that most often support decisions for a diagnosis
// description: The flagship question. Which guideline pages or sections does the IMR reviewer cite
//   most often when a denial is upheld for lumbar radiculopathy (ICD-10-CM M54.16, and every code
//   below a given code)? Change the codes, outcome or who cited to ask the same of anything else;
//   group_by "GUIDELINE" counts whole documents. GraphQL's guidelineCitationStats runs this text.
// :param diagnosis_codes => ["M54.16"]
// :param outcome => "UPHELD"
// :param cited_by => "IMR_REVIEWER"
// :param group_by => "SECTION"
// :param year => null
// :param first => 20
// param outcome: UPHELD | OVERTURNED
// param cited_by: IMR_REVIEWER | CLAIMS_ADMINISTRATOR | RATIONALE
// param group_by: SECTION | GUIDELINE
// param year: integer
// param first: integer >= 0
// columns: family:string, guideline:string, section:string, pages:list<int64>, decisions:int64,
//   share:float64, url:string, guideline_key:string, edition:string, guideline_url:string
// chart: mark=bar x=decisions y=section color=guideline
MATCH (x:Diagnosis) WHERE x.code IN $diagnosis_codes
MATCH (x)<-[:IS_A*0..6]-(:Diagnosis)<-[:HAS_DIAGNOSIS]-(c:Case)
WITH DISTINCT c
MATCH (c)-[:HAS_DECISION]->(d:Decision)
WHERE ($outcome IS NULL OR d.outcome = $outcome) AND ($year IS NULL OR c.year = $year)
MATCH (d)-[r:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
WHERE $cited_by IS NULL OR r.by = $cited_by
WITH g, CASE $group_by WHEN 'GUIDELINE' THEN null ELSE s END AS s, d
WITH g, s, count(DISTINCT d) AS decisions
WITH collect({g: g, s: s, decisions: decisions}) AS rows, sum(decisions) AS all_decisions
UNWIND rows AS row
WITH row, all_decisions ORDER BY row.decisions DESC, row.g.title, row.s.name, row.g.key, row.s.key
LIMIT toInteger($first)
RETURN row.g.family AS family, row.g.title AS guideline, row.s.name AS section, row.s.pages AS pages,
       row.decisions AS decisions, toFloat(row.decisions) / all_decisions AS share,
       coalesce(row.s.url, row.g.url) AS url, row.g.key AS guideline_key, row.g.edition AS edition,
       row.g.url AS guideline_url
