// title: Uphold rate by year, per treatment category
// description: Per decision year and DWC treatment category: decisions, upheld, and the uphold rate
//   (the share of denials that stand). Cases without a year are left out; outcomes_by_year counts
//   them as "unknown". min_decisions hides thin year-category cells. estimated_year counts the
//   decisions whose letter's year is estimated (the chart marks those years).
// :param min_decisions => 1
// columns: year:string, category:string, decisions:int64, upheld:int64, uphold_rate:float64,
//   estimated_year:int64, uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=line x=year y=uphold_rate color=category
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k:TreatmentCategory)
WHERE c.year IS NOT NULL
WITH toString(c.year) AS year, k.name AS category, count(d) AS decisions,
     sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld,
     count(CASE WHEN c.year_source = 'estimated' THEN 1 END) AS estimated_year
WHERE decisions >= $min_decisions
RETURN year, category, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate, estimated_year,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY year, category
