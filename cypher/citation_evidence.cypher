// title: The sentences behind a count: each decision citing a guideline section, with its sentence
// description: How a row of the flagship (or of guideline_sections) was counted, one decision at a
//   time: the letter, the decision, who cited, and the sentence the citation was read from (cut from
//   the letter's normalized text, Case.text, at the citation's span). Give the row's guideline_key and
//   section (null for the whole document's citations) and the same filters as the flagship; with
//   diagnosis_codes null every case counts. sentence is null for a letter loaded without its text.
// :param guideline_key => "mtus-chronic-pain"
// :param section => "Physical medicine"
// :param diagnosis_codes => null
// :param outcome => "UPHELD"
// :param cited_by => "IMR_REVIEWER"
// :param year => null
// :param include_uncertain => false
// :param first => 50
// param diagnosis_codes: list
// param section: string
// param outcome: UPHELD | OVERTURNED
// param cited_by: IMR_REVIEWER | CLAIMS_ADMINISTRATOR | RATIONALE
// param year: integer
// param include_uncertain: boolean
// param first: integer >= 0
// columns: letter_id:string, source:string, decision:int64, item:string, outcome:string,
//   section:string, cited_by:string, start:int64, end:int64, sentence:string
MATCH (:Guideline {key: $guideline_key})<-[:PART_OF]-(s:GuidelineSection)
WHERE $section IS NULL OR s.name = $section
MATCH (s)<-[r:CITES]-(d:Decision)<-[:HAS_DECISION]-(c:Case)
WHERE ($cited_by IS NULL OR r.by = $cited_by)
  AND ($outcome IS NULL OR d.outcome = $outcome)
  AND ($year IS NULL OR c.year = $year)
  AND ($diagnosis_codes IS NULL OR EXISTS {
    MATCH (c)-[h:HAS_DIAGNOSIS]->(:Diagnosis)-[:IS_A*0..6]->(x:Diagnosis)
    WHERE x.code IN $diagnosis_codes AND ($include_uncertain OR h.status = 'stated')
  })
RETURN c.letter_id AS letter_id, c.source AS source, d.index AS decision, d.item AS item,
       d.outcome AS outcome, s.name AS section, r.by AS cited_by, r.span[0] AS start, r.span[1] AS end,
       CASE WHEN c.text IS NOT NULL AND r.span IS NOT NULL
            THEN substring(c.text, r.span[0], r.span[1] - r.span[0]) END AS sentence
ORDER BY letter_id, decision, start
LIMIT toInteger($first)
