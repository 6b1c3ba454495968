// title: Opioids: share of pharmaceutical requests and uphold rate, by year
// description: DWC's annual IMR reports give opioids as a share of pharmaceutical requests (24-33% in
//   2019-2024). Per decision year: pharmaceutical decisions, those of a drug class (Opioids by
//   default), its share and uphold rate, and how many decisions have an estimated year.
// :param drug_class => "Opioids"
// columns: year:string, pharmaceutical:int64, decisions:int64, share:float64, uphold_rate:float64,
//   estimated_year:int64, uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=line x=year y=share
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(:TreatmentCategory {name: 'PHARMACEUTICAL'})
WITH coalesce(toString(c.year), 'unknown') AS year, count(d) AS pharmaceutical,
     count(CASE WHEN d.treatment_class = $drug_class THEN 1 END) AS in_class,
     count(CASE WHEN d.treatment_class = $drug_class AND d.outcome = 'UPHELD' THEN 1 END) AS in_class_upheld,
     count(CASE WHEN c.year_source = 'estimated' THEN 1 END) AS estimated_year
RETURN year, pharmaceutical, in_class AS decisions, round(toFloat(in_class) / pharmaceutical, 3) AS share,
       CASE WHEN in_class > 0 THEN round(toFloat(in_class_upheld) / in_class, 3) END AS uphold_rate,
       estimated_year,
       CASE WHEN in_class > 0 THEN round((in_class_upheld + 1.959964^2 / 2
                                          - 1.959964 * sqrt(toFloat(in_class_upheld) * (in_class - in_class_upheld) / in_class + 1.959964^2 / 4))
                                         / (in_class + 1.959964^2), 3) END AS uphold_rate_low,
       CASE WHEN in_class > 0 THEN round((in_class_upheld + 1.959964^2 / 2
                                          + 1.959964 * sqrt(toFloat(in_class_upheld) * (in_class - in_class_upheld) / in_class + 1.959964^2 / 4))
                                         / (in_class + 1.959964^2), 3) END AS uphold_rate_high
ORDER BY year
