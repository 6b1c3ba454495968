// title: Guideline pages and sections most often cited, across every diagnosis
// description: The flagship question without a diagnosis: which pages or sections are cited most
//   often for decisions of an outcome (null for all), by whom (null for anyone). group_by "GUIDELINE"
//   counts whole documents, "EDITION" each edition apart. share is decisions / decisions_in_scope (the
//   decisions of that outcome and year, cited or not). GraphQL's guidelineCitationStats runs this text
//   when no diagnosis is given.
// :param outcome => "UPHELD"
// :param cited_by => "IMR_REVIEWER"
// :param group_by => "SECTION"
// :param year => null
// :param first => 20
// param outcome: UPHELD | OVERTURNED
// param cited_by: IMR_REVIEWER | CLAIMS_ADMINISTRATOR | RATIONALE
// param group_by: SECTION | GUIDELINE | EDITION
// param year: integer
// param first: integer >= 0
// columns: family:string, guideline:string, section:string, pages:list<int64>, decisions:int64,
//   decisions_in_scope:int64, share:float64, url:string, guideline_key:string, edition:string,
//   guideline_url:string, guideline_chapter:string
// chart: mark=bar x=decisions y=section color=guideline
CALL () {
  MATCH (d:Decision)
  WHERE ($outcome IS NULL OR d.outcome = $outcome) AND ($year IS NULL OR d.year = $year)
  RETURN count(d) AS in_scope
}
MATCH (d:Decision)
WHERE ($outcome IS NULL OR d.outcome = $outcome) AND ($year IS NULL OR d.year = $year)
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
