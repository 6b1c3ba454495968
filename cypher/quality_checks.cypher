// title: Data-quality checks
// description: Decisions without any citation, citations to unresolved guidelines, sections the
//   guideline's table of contents lacks, items the treatment vocabulary does not know, impossible or
//   inconsistent dates, and letters the parser warned about.
// :param example_count => 5
// param example_count: integer >= 0
// columns: check:string, count:int64, examples:list<string>
CALL () {
  MATCH (d:Decision) WHERE NOT (d)-[:CITES]->() RETURN 'decisions without citations' AS check, collect(d.decision_id) AS ids
  UNION ALL
  MATCH (g:Guideline {resolved: false})<-[:PART_OF]-(:GuidelineSection)<-[:CITES]-(d:Decision)
  RETURN 'citations to unresolved (OTHER) guidelines' AS check, collect(d.decision_id) AS ids
  UNION ALL
  MATCH (s:GuidelineSection {known: false})<-[:CITES]-(:Decision)
  RETURN 'sections or pages the table of contents lacks' AS check, collect(DISTINCT s.guideline_key + ': ' + s.name) AS ids
  UNION ALL
  MATCH (:Treatment {name: 'Unclassified'})<-[:FOR_TREATMENT]-(d:Decision)
  RETURN 'items the treatment vocabulary does not know' AS check, collect(d.item) AS ids
  UNION ALL
  MATCH (c:Case) WHERE c.injury_date > c.decision_date OR c.ur_decision_date > c.decision_date
  RETURN 'dates out of order (injury or UR after decision)' AS check, collect(c.letter_id) AS ids
  UNION ALL
  MATCH (c:Case) WHERE size(c.warnings) > 0 RETURN 'letters with parser warnings' AS check, collect(c.letter_id) AS ids
}
RETURN check, size(ids) AS count, ids[..toInteger($example_count)] AS examples
