// title: Guideline pages and sections most often cited, from the loader's tallies
// description: The flagship question answered from SectionTally cells instead of walking the
//   decisions: the same rows as flagship_guideline_sections (one diagnosis code, every code below it
//   included) and guideline_sections (diagnosis "*": any), in milliseconds at a million letters.
//   GraphQL's guidelineCitationStats runs this text when one code (or none) is asked.
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
//   share:float64, url:string, guideline_key:string, edition:string, guideline_url:string
MATCH (t:SectionTally {dx: $diagnosis, level: $group_by})
WHERE ($outcome IS NULL OR t.outcome = $outcome)
  AND ($cited_by IS NULL OR $cited_by IN t.voices)
  AND ($year IS NULL OR t.year = $year)
WITH t.target AS target, sum(t.decisions) AS decisions
WITH collect({target: target, decisions: decisions}) AS rows, sum(decisions) AS all_decisions
UNWIND rows AS row
OPTIONAL MATCH (s:GuidelineSection {key: row.target}) WHERE $group_by = 'SECTION'
MATCH (g:Guideline {key: coalesce(s.guideline_key, row.target)})
WITH row, s, g, all_decisions ORDER BY row.decisions DESC, g.title, s.name, g.key, s.key
LIMIT toInteger($first)
RETURN g.family AS family, g.title AS guideline, s.name AS section, s.pages AS pages,
       row.decisions AS decisions, toFloat(row.decisions) / all_decisions AS share,
       coalesce(s.url, g.url) AS url, g.key AS guideline_key, g.edition AS edition,
       g.url AS guideline_url
