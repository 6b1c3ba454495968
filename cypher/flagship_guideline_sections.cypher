// title: Guideline pages and sections that most often support decisions for a diagnosis
// description: The flagship question. Which guideline pages or sections does the IMR reviewer cite
//   most often when a denial is upheld for lumbar radiculopathy (ICD-10-CM M54.16, and every code
//   below a given code)? Change the codes, outcome or who cited to ask the same of anything else;
//   group_by "GUIDELINE" counts whole documents, "EDITION" each edition of a document apart. share is
//   decisions / decisions_in_scope: of the decisions the codes, outcome and year select (cited or
//   not), the share citing the row. Only stated diagnoses select a case; set include_uncertain to
//   count rule-outs, history and findings too. GraphQL's guidelineCitationStats runs this text.
// :param diagnosis_codes => ["M54.16"]
// :param outcome => "UPHELD"
// :param cited_by => "IMR_REVIEWER"
// :param group_by => "SECTION"
// :param year => null
// :param include_uncertain => false
// :param first => 20
// param outcome: UPHELD | OVERTURNED
// param cited_by: IMR_REVIEWER | CLAIMS_ADMINISTRATOR | RATIONALE
// param group_by: SECTION | GUIDELINE | EDITION
// param year: integer
// param include_uncertain: boolean
// param first: integer >= 0
// columns: family:string, guideline:string, section:string, pages:list<int64>, decisions:int64,
//   decisions_in_scope:int64, share:float64, url:string, guideline_key:string, edition:string,
//   guideline_url:string, guideline_chapter:string
// chart: mark=bar x=decisions y=section color=guideline
MATCH (x:Diagnosis) WHERE x.code IN $diagnosis_codes
MATCH (x)<-[:IS_A*0..6]-(:Diagnosis)<-[h:HAS_DIAGNOSIS]-(c:Case)
WHERE $include_uncertain OR h.status = 'stated'
WITH DISTINCT c
MATCH (c)-[:HAS_DECISION]->(d:Decision)
WHERE ($outcome IS NULL OR d.outcome = $outcome) AND ($year IS NULL OR c.year = $year)
WITH collect(d) AS scope
WITH scope, size(scope) AS in_scope
UNWIND scope AS d
MATCH (d)-[r:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
WHERE $cited_by IS NULL OR r.by = $cited_by
WITH in_scope, g, CASE $group_by WHEN 'SECTION' THEN s END AS s,
     CASE $group_by WHEN 'EDITION' THEN r.edition END AS edition, d
WITH in_scope, g, s, edition, count(DISTINCT d) AS decisions
ORDER BY decisions DESC, g.title, s.name, edition, g.key, s.key
LIMIT toInteger($first)
RETURN g.family AS family, g.title AS guideline, s.name AS section, s.pages AS pages,
       decisions, in_scope AS decisions_in_scope, toFloat(decisions) / in_scope AS share,
       coalesce(s.url, g.url) AS url, g.key AS guideline_key, coalesce(edition, g.edition) AS edition,
       g.url AS guideline_url, g.chapter AS guideline_chapter
