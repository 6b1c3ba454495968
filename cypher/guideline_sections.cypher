// title: Guideline pages and sections most often cited, across every diagnosis
// description: The flagship question without a diagnosis: which pages or sections are cited most
//   often for decisions of an outcome (null for all), by whom (null for anyone). group_by "GUIDELINE"
//   counts whole documents. GraphQL's guidelineCitationStats runs this text when no diagnosis is given.
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
MATCH (d:Decision)
WHERE ($outcome IS NULL OR d.outcome = $outcome) AND ($year IS NULL OR d.year = $year)
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
