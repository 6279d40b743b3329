/** A small set of arithmetic word problems with their answers, written for this benchmark. */
export const arithmeticProblems: readonly { readonly question: string; readonly answer: string }[] =
  [
    {
      question: 'A baker makes 14 trays of 12 rolls and sells 97 rolls. How many rolls are left?',
      answer: '71',
    },
    {
      question:
        'Mia reads 23 pages a day for 9 days, then 15 pages on the tenth day. How many pages did she read?',
      answer: '222',
    },
    {
      question:
        'A train travels at 84 km per hour for 2.5 hours. How many kilometres does it cover?',
      answer: '210',
    },
    {
      question:
        'Six friends share 3 pizzas cut into 8 slices each. How many slices does each friend get?',
      answer: '4',
    },
    {
      question: 'A shirt costs $40 and is sold at 15% off. What is the sale price in dollars?',
      answer: '34',
    },
    {
      question: 'Tom has 5 boxes of 36 pencils. He gives away 47 pencils. How many remain?',
      answer: '133',
    },
    {
      question: 'A garden is 18 m long and 7 m wide. What is its perimeter in metres?',
      answer: '50',
    },
    { question: 'Ana saves $12 a week. How many weeks does she need to save $300?', answer: '25' },
    { question: 'A school has 28 classes of 31 pupils. How many pupils are there?', answer: '868' },
    {
      question:
        'A tank holds 450 litres and is filled at 18 litres per minute. How many minutes to fill it?',
      answer: '25',
    },
    {
      question:
        'Leo buys 3 books at $17 and 2 pens at $4. He pays with $100. How much change does he get?',
      answer: '41',
    },
    { question: 'The sum of three consecutive integers is 96. What is the largest?', answer: '33' },
    {
      question: 'A recipe needs 250 g of flour per cake. How many grams for 7 cakes?',
      answer: '1750',
    },
    {
      question: 'A car uses 6 litres of fuel per 100 km. How many litres for 350 km?',
      answer: '21',
    },
    {
      question: 'Sara is 3 times as old as her son, who is 12. How old will Sara be in 5 years?',
      answer: '41',
    },
    {
      question:
        'A farmer has 120 sheep and sells one quarter of them, then buys 17. How many sheep now?',
      answer: '107',
    },
    {
      question: 'A cinema has 24 rows of 35 seats; 613 are taken. How many seats are free?',
      answer: '227',
    },
    { question: 'What is the average of 17, 23, 38 and 42?', answer: '30' },
    {
      question: 'A worker earns $18 per hour and works 37 hours. How many dollars does he earn?',
      answer: '666',
    },
    {
      question: 'A rope of 9.6 m is cut into pieces of 0.4 m. How many pieces are there?',
      answer: '24',
    },
  ];
