// title: Year-over-year trends
// description: Decisions and uphold rate by decision year, overall or for one treatment category.
// :param category => null
// param category: PHARMACEUTICAL | PHYSICAL_MEDICINE | DIAGNOSTIC | EVALUATION_AND_MANAGEMENT | DME |
//   INJECTION | SURGERY | BEHAVIORAL_HEALTH | PROGRAM | HOME_HEALTH | TRANSPORTATION | OTHER
// columns: year:string, decisions:int64, upheld:int64, uphold_rate:float64, estimated_year:int64,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=line x=year y=uphold_rate
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k:TreatmentCategory)
WHERE $category IS NULL OR k.name = $category
WITH coalesce(toString(c.year), 'unknown') AS year, count(d) AS decisions,
     count(CASE WHEN c.year_source = 'estimated' THEN 1 END) AS estimated_year,
     sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld
RETURN year, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate, estimated_year,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY year
