// title: Uphold rates by treatment category
// description: Decisions and the share upheld (denial stands) for each of DWC's treatment categories.
// :param min_decisions => 1
// columns: category:string, decisions:int64, upheld:int64, uphold_rate:float64,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=bar x=uphold_rate y=category
MATCH (d:Decision)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k:TreatmentCategory)
WITH k.name AS category, count(d) AS decisions, sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld
WHERE decisions >= $min_decisions
RETURN category, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY decisions DESC
