// title: Parsed vs DWC's labels, layouts and replaced letters
// description: How often the parser's category and outcome of a decision agree with DWC's own row for
//   the request (dwc_category, dwc_outcome, set by a load of a fetched folder), with the disagreements
//   (case number, item, parsed vs DWC); partial overturns are DWC's label only, counted apart and not
//   compared. Then the letters per layout (unrecognized: read by the fallback, with a warning) and the
//   cases whose letter replaced near-duplicate sources. GraphQL's dataQuality runs this text.
// :param disagreement_count => 100
// param disagreement_count: integer >= 0
// columns: decisions:int64, with_dwc:int64, category_compared:int64, category_agree:int64, outcome_compared:int64, outcome_agree:int64, partial_overturns:int64, disagreement_total:int64, disagreements:json, layouts:json, unrecognized:int64, superseded_total:int64, superseded:json
CALL () {
  MATCH (d:Decision)
  WITH count(d) AS decisions,
       count(d.dwc_category) AS category_compared,
       count(CASE WHEN d.dwc_outcome IN ['UPHELD', 'OVERTURNED'] THEN 1 END) AS outcome_compared,
       count(CASE WHEN d.dwc_outcome = 'PARTIALLY_OVERTURNED' THEN 1 END) AS partial_overturns,
       count(CASE WHEN d.dwc_category IS NOT NULL OR d.dwc_outcome IS NOT NULL THEN 1 END) AS with_dwc
  RETURN decisions, with_dwc, category_compared, outcome_compared, partial_overturns
}
CALL () {
  MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)
  WHERE d.dwc_category IS NOT NULL OR d.dwc_outcome IS NOT NULL
  OPTIONAL MATCH (d)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k:TreatmentCategory)
  WITH c, d, k.name AS category,
       d.dwc_category IS NOT NULL AND coalesce(k.name, '') = d.dwc_category AS category_agrees,
       d.dwc_outcome IN ['UPHELD', 'OVERTURNED'] AND coalesce(d.outcome, '') = d.dwc_outcome AS outcome_agrees
  WITH c, d, category, category_agrees, outcome_agrees,
       (d.dwc_category IS NOT NULL AND NOT category_agrees)
       OR (d.dwc_outcome IN ['UPHELD', 'OVERTURNED'] AND NOT outcome_agrees) AS differs
  ORDER BY c.case_number, c.letter_id, d.index
  WITH count(CASE WHEN category_agrees THEN 1 END) AS category_agree,
       count(CASE WHEN outcome_agrees THEN 1 END) AS outcome_agree,
       collect(CASE WHEN differs THEN {
         case_number: c.case_number, letter_id: c.letter_id, index: d.index, item: d.item,
         category: category, dwc_category: d.dwc_category, dwc_subcategory: d.dwc_subcategory,
         outcome: d.outcome, dwc_outcome: d.dwc_outcome
       } END) AS all_disagreements
  RETURN category_agree, outcome_agree, size(all_disagreements) AS disagreement_total,
         all_disagreements[..toInteger($disagreement_count)] AS disagreements
}
CALL () {
  MATCH (c:Case)
  WITH coalesce(c.layout, 'unknown') AS layout, count(*) AS letters
  ORDER BY letters DESC, layout
  WITH collect({layout: layout, letters: letters}) AS found
  RETURN found + CASE WHEN any(x IN found WHERE x.layout = 'unrecognized') THEN []
                      ELSE [{layout: 'unrecognized', letters: 0}] END AS layouts,
         coalesce(head([x IN found WHERE x.layout = 'unrecognized' | x.letters]), 0) AS unrecognized
}
CALL () {
  // superseded_sources: the sources a case's letter replaced as near duplicates; absent on graphs
  // loaded before it existed, which then list none.
  MATCH (c:Case)
  WHERE size(coalesce(c.superseded_sources, [])) > 0
  WITH c ORDER BY c.case_number, c.letter_id
  WITH collect({case_number: c.case_number, letter_id: c.letter_id, source: c.source,
                superseded_sources: c.superseded_sources}) AS all_superseded
  RETURN size(all_superseded) AS superseded_total,
         all_superseded[..toInteger($disagreement_count)] AS superseded
}
RETURN decisions, with_dwc, category_compared, category_agree, outcome_compared, outcome_agree,
       partial_overturns, disagreement_total, disagreements, layouts, unrecognized, superseded_total,
       superseded
