import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A person who answers tickets. What they may take is in ExpertSkill, where they sit in GroupMembership. */
export class Expert extends Model<InferAttributes<Expert>, InferCreationAttributes<Expert>> {
  declare id: CreationOptional<number>;
  declare slackUserId: string | null;
  declare name: string;
  declare email: string | null;
  /** The email they applied with from outside Slack (the portal), lower case, unique; null otherwise (see its migration). */
  declare appliedEmail: CreationOptional<string | null>;
  declare phone: CreationOptional<string | null>;
  declare checkedIn: CreationOptional<boolean>;
  declare suspendedAt: CreationOptional<Date | null>;
  declare lastPagedAt: CreationOptional<Date | null>;
  /** Why they were suspended, in words shown to them and the managers; null when not suspended. */
  declare suspensionReason: CreationOptional<string | null>;
  /** Surveys since they were last suspended or reinstated: they are judged again only after `ranking.minSurveys` more. */
  declare surveysSinceReview: CreationOptional<number>;
  /** Overall ranking score as of the expert's last survey (see domain/ranking); null until the first. */
  declare score: CreationOptional<number | null>;
  /** JSON WorkingHours (see domain/dispatch/working-hours.ts); null = any time. */
  declare workingHours: CreationOptional<string | null>;
  /** JSON array of the names they go by in Slack (see domain/relay/identity.ts); null = not known. */
  declare slackNames: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Expert {
    return Expert.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        slackUserId: { type: DataTypes.STRING(32), allowNull: true, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        email: { type: DataTypes.STRING(320), allowNull: true },
        appliedEmail: { type: DataTypes.STRING(320), allowNull: true, unique: true },
        phone: { type: DataTypes.STRING(64), allowNull: true },
        checkedIn: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        suspendedAt: { type: DataTypes.DATE(3), allowNull: true },
        lastPagedAt: { type: DataTypes.DATE(3), allowNull: true },
        suspensionReason: { type: DataTypes.TEXT, allowNull: true },
        surveysSinceReview: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        score: { type: DataTypes.DOUBLE, allowNull: true },
        workingHours: { type: DataTypes.TEXT, allowNull: true },
        slackNames: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'experts', modelName: 'Expert' },
    );
  }
}
