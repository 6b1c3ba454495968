// title: Guideline pages and sections most often cited, from the loader's tallies
// description: The flagship question answered from SectionTally cells instead of walking the
//   decisions: the same rows as flagship_guideline_sections (one diagnosis code, every code below it
//   included) and guideline_sections (diagnosis "*": any), in milliseconds at a million letters.
//   share is decisions / decisions_in_scope, the decisions of that code, outcome and year (cited or not,
//   from the OutcomeTally cells). The tallies count stated diagnoses only. GraphQL's
//   guidelineCitationStats runs this text when one code (or none) is asked.
// :param diagnosis => "M54.16"
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
//   decisions_in_scope:int64, share:float64, url:string, guideline_key:string, edition:string,
//   guideline_url:string, guideline_chapter:string
CALL () {
  MATCH (o:OutcomeTally {cube: CASE $diagnosis WHEN '*' THEN 'BASE' ELSE 'DIAGNOSIS' END,
                         anchor: CASE $diagnosis WHEN '*' THEN '' ELSE $diagnosis END})
  WHERE $year IS NULL OR o.year = $year
  RETURN sum(CASE $outcome WHEN 'UPHELD' THEN o.upheld WHEN 'OVERTURNED' THEN o.overturned
                           ELSE o.decisions END) AS in_scope
}
MATCH (t:SectionTally {dx: $diagnosis, level: $group_by})
WHERE ($outcome IS NULL OR t.outcome = $outcome)
  AND ($cited_by IS NULL OR $cited_by IN t.voices)
  AND ($year IS NULL OR t.year = $year)
WITH in_scope, t.target AS target, sum(t.decisions) AS decisions
ORDER BY decisions DESC, target
OPTIONAL MATCH (s:GuidelineSection {key: target}) WHERE $group_by = 'SECTION'
MATCH (g:Guideline {key: coalesce(s.guideline_key, target)})
WITH in_scope, target, decisions, s, g ORDER BY decisions DESC, g.title, s.name, g.key, s.key
LIMIT toInteger($first)
RETURN g.family AS family, g.title AS guideline, s.name AS section, s.pages AS pages,
       decisions, in_scope AS decisions_in_scope, toFloat(decisions) / in_scope AS share,
       coalesce(s.url, g.url) AS url, g.key AS guideline_key, g.edition AS edition,
       g.url AS guideline_url, g.chapter AS guideline_chapter
